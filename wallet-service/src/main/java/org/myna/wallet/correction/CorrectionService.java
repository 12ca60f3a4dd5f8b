package org.myna.wallet.correction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.correction.CorrectionRequests.CorrectionResponse;
import org.myna.wallet.ledger.Ledger;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.ledger.Transfer;
import org.myna.wallet.ledger.TransferOrder;

import java.time.OffsetDateTime;

/**
 * Maker–checker: one auditor proposes, another approves, and the approval posts the reversing transfer. Both read a
 * resident's transfer, so both are in that resident's access log (outbox row in the same transaction).
 */
@ApplicationScoped
public class CorrectionService {

    static final String LEDGER_CLIENT = "corrections";

    private final Ledger ledger;
    private final AccessLogOutbox accessLog;
    private final EntityManager em;

    public CorrectionService(Ledger ledger, AccessLogOutbox accessLog, EntityManager em) {
        this.ledger = ledger;
        this.accessLog = accessLog;
        this.em = em;
    }

    /** The resident whose account the transfer moved points from or to (null for budget-to-merchant flows). */
    private static String residentOf(Transfer t) {
        for (long accountId : new long[]{t.debitAccountId, t.creditAccountId}) {
            LedgerAccount a = LedgerAccount.findById(accountId);
            if (a != null && LedgerAccount.RESIDENT.equals(a.kind)) {
                return a.owner;
            }
        }
        return null;
    }

    @Transactional
    public CorrectionResponse propose(String auditor, long transferId, String reason, Idempotency.Ticket ticket) {
        Transfer original = Transfer.findById(transferId);
        if (original == null) {
            throw Problem.notFound("unknown-transfer", "No such transfer.");
        }
        if (Transfer.HOLD.equals(original.kind) || Transfer.RELEASE.equals(original.kind)) {
            // Reversing a hold or its release would break the authorisation it belongs to: void it instead.
            throw Problem.conflict("not-correctable", "A redemption authorisation's hold is settled by capturing or voiding it, not by a correction.");
        }
        if (Transfer.count("reversesId", transferId) > 0) {
            throw Problem.conflict("already-corrected", "This transfer was already reversed.");
        }
        accessLog.record(residentOf(original), auditor, Roles.AUDITOR, AccessLogOutbox.READ, "correction-proposal", "transfer");
        Correction c = new Correction();
        c.transferId = transferId;
        c.reason = reason;
        c.proposedBy = auditor;
        c.proposedAt = OffsetDateTime.now();
        try {
            c.persistAndFlush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_correction_transfer")) {
                throw Problem.conflict("correction-exists", "A correction of this transfer is already proposed.");
            }
            throw e;
        }
        CorrectionResponse response = CorrectionResponse.of(c);
        ticket.complete(response);
        return response;
    }

    @Transactional
    public CorrectionResponse approve(String auditor, long correctionId, Idempotency.Ticket ticket) {
        Correction c = Correction.findById(correctionId);
        if (c == null) {
            throw Problem.notFound("unknown-correction", "No such correction.");
        }
        if (c.proposedBy.equals(auditor)) {
            throw new Problem(403, "same-auditor", "A correction must be approved by an auditor other than the one who proposed it.");
        }
        // Claims the correction: of two racing approvals only one updates the row.
        int claimed = em.createQuery("update Correction c set c.approvedBy = :a, c.approvedAt = :t where c.id = :id and c.approvedBy is null")
                .setParameter("a", auditor).setParameter("t", OffsetDateTime.now()).setParameter("id", correctionId).executeUpdate();
        if (claimed != 1) {
            throw Problem.conflict("correction-executed", "This correction was already approved.");
        }
        Transfer original = Transfer.findById(c.transferId);
        accessLog.record(residentOf(original), auditor, Roles.AUDITOR, AccessLogOutbox.UPDATE, "correction", "transfer,points,balance");
        Transfer reversal = ledger.post(new TransferOrder(LEDGER_CLIENT, "correction:" + c.id, original.creditAccountId, original.debitAccountId,
                original.amount, Transfer.CORRECTION, original.rule, "correction " + c.id, original.id));
        em.createQuery("update Correction c set c.correctingTransferId = :t where c.id = :id")
                .setParameter("t", reversal.id).setParameter("id", correctionId).executeUpdate();
        em.refresh(c);
        CorrectionResponse response = CorrectionResponse.of(c);
        ticket.complete(response);
        return response;
    }
}
