package org.myna.wallet.ledger.batch;

import jakarta.inject.Singleton;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the tests arm to prove the writer's failure rules (an unknown commit outcome, a failed batch, several requests
 * in one batch). Never armed in production: every field is off by default and nothing outside tests sets them. A singleton, not a
 * client proxy, so that a test's writes to its fields reach the writer.
 */
@Singleton
public class LedgerFaults {

    /** Batches of more than one request that fail before their commit. */
    public final AtomicInteger failMultiMemberBatches = new AtomicInteger();
    /** Batches that commit and then report the commit as failed (the outcome a lost connection leaves unknown). */
    public final AtomicInteger commitThenFail = new AtomicInteger();
    /** When set, the writer waits for it before taking a batch, so that a test can queue requests into one batch. */
    public volatile CountDownLatch hold;

    void beforeBatch() {
        CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
