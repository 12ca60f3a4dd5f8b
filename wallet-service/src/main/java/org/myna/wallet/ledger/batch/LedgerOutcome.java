package org.myna.wallet.ledger.batch;

import org.myna.platform.problem.Problem;

/**
 * What the writer made of a command, known only after its batch committed: an answer (201 and its body, or a refusal
 * stored under the key), "the key was taken" (the caller replays what the key holds), or, for a grant decided from the
 * copies of the registry's events, "not decided here" ({@code unanswered}: why; nothing was stored or spent, and the
 * caller goes on without the copy).
 */
public record LedgerOutcome(int status, String body, Problem refusal, boolean keyTaken, String unanswered) {

    /** The copy of the registry's facts does not know the person. */
    public static final String COPY_UNKNOWN = "copy-unknown";
    /** The copy says no, which may be news not yet delivered: only a "yes" is taken from it. */
    public static final String COPY_NO = "copy-no";

    static LedgerOutcome answered(int status, String body) {
        return new LedgerOutcome(status, body, null, false, null);
    }

    static LedgerOutcome refused(Problem p, String body) {
        return new LedgerOutcome(p.status(), body, p, false, null);
    }

    static LedgerOutcome taken() {
        return new LedgerOutcome(0, null, null, true, null);
    }

    /** {@code why}: {@link #COPY_UNKNOWN}, {@link #COPY_NO}, or the card-standing problem code that voids the token. */
    static LedgerOutcome unanswered(String why) {
        return new LedgerOutcome(0, null, null, false, why);
    }
}
