package org.myna.wallet.ledger.batch;

import org.myna.platform.problem.Problem;

/**
 * What the writer made of a command, known only after its batch committed: an answer (201 and its body, or a refusal
 * stored under the key), or "the key was taken" (the caller replays what the key holds).
 */
public record LedgerOutcome(int status, String body, Problem refusal, boolean keyTaken) {

    static LedgerOutcome answered(int status, String body) {
        return new LedgerOutcome(status, body, null, false);
    }

    static LedgerOutcome refused(Problem p, String body) {
        return new LedgerOutcome(p.status(), body, p, false);
    }

    static LedgerOutcome taken() {
        return new LedgerOutcome(0, null, null, true);
    }
}
