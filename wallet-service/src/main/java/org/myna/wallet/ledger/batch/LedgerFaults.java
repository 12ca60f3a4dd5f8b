package org.myna.wallet.ledger.batch;

import jakarta.inject.Singleton;
import org.myna.platform.groupcommit.GroupCommitWriter;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults the tests arm to prove the writer's failure rules (an unknown commit outcome, a failed batch, several requests
 * in one batch). Never armed in production: every field is off by default and nothing outside tests sets them. A singleton, not a
 * client proxy, so that a test's writes to its fields reach the writer.
 */
@Singleton
public class LedgerFaults extends GroupCommitWriter.Faults {
    /** Run once on the writer's connection after a batch read its grants' keys, tokens and grant rows (a race's window). */
    public final AtomicReference<ConnectionFault> afterGrantPrefetch = new AtomicReference<>();

    @Override
    public void disarm() {
        super.disarm();
        afterGrantPrefetch.set(null);
    }
}
