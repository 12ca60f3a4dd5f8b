package org.myna.wallet.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.myna.wallet.common.Constraints;
import org.myna.wallet.common.Problem;

import java.time.OffsetDateTime;

/**
 * The only writer of transfers and balances. Each limit is enforced by the statement that writes:
 * a debit is {@code UPDATE ... WHERE balance - :amt >= 0} (row count checked), the campaign's granted total is
 * {@code UPDATE campaign ... WHERE granted + :amt <= budget}; CHECK constraints back both, so no interleaving of
 * transactions can overdraw an account or overshoot a budget. Invariants, true after every commit:
 * <ol>
 *   <li>Σ debits = Σ credits = Σ transfer amounts (each transfer adds its amount to one debit and one credit);</li>
 *   <li>each account's balance = its credits − its debits, and Σ balances = 0;</li>
 *   <li>no resident or merchant balance below zero;</li>
 *   <li>a campaign's granted = −(its budget account's balance) ≤ budget.</li>
 * </ol>
 */
@ApplicationScoped
public class Ledger {

    private final EntityManager em;

    public Ledger(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Transfer post(TransferOrder order) {
        if (order.amount() <= 0) {
            throw Problem.invalidField("amount", "invalid-amount", "A transfer moves a positive amount.");
        }
        Transfer t = new Transfer();
        t.clientId = order.clientId();
        t.transferKey = order.transferKey();
        t.debitAccountId = order.debitAccountId();
        t.creditAccountId = order.creditAccountId();
        t.amount = order.amount();
        t.kind = order.kind();
        t.rule = order.rule();
        t.reference = order.reference();
        t.reversesId = order.reversesId();
        t.createdAt = OffsetDateTime.now();
        try {
            em.persist(t);
            em.flush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_transfer_key")) {
                throw Problem.conflict("transfer-exists", "A transfer with this id was already posted.");
            }
            if (Constraints.violated(e, "uq_transfer_reverses")) {
                throw Problem.conflict("already-corrected", "This transfer was already reversed.");
            }
            throw e;
        }
        String debitKind = kindOf(order.debitAccountId());
        String creditKind = kindOf(order.creditAccountId());
        try {
            if (LedgerAccount.BUDGET.equals(debitKind)) {
                // Points leave the budget: the campaign's granted total grows, never past the budget.
                int rows = em.createNativeQuery("update {h-schema}campaign set granted = granted + ?1 where id = "
                                + "(select campaign_id from {h-schema}ledger_account where id = ?2) and granted + ?1 <= budget")
                        .setParameter(1, order.amount()).setParameter(2, order.debitAccountId()).executeUpdate();
                if (rows != 1) {
                    throw Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant.");
                }
            }
            if (LedgerAccount.BUDGET.equals(creditKind)) {
                em.createNativeQuery("update {h-schema}campaign set granted = granted - ?1 where id = "
                                + "(select campaign_id from {h-schema}ledger_account where id = ?2)")
                        .setParameter(1, order.amount()).setParameter(2, order.creditAccountId()).executeUpdate();
            }
            // Rows are locked in id order so that two transfers between the same accounts cannot deadlock.
            if (order.debitAccountId() < order.creditAccountId()) {
                debit(order);
                credit(order);
            } else {
                credit(order);
                debit(order);
            }
        } catch (Problem p) {
            throw p;
        } catch (RuntimeException e) {
            // The CHECK constraints are the backstop should a conditional update ever let one through.
            if (Constraints.violated(e, "ck_campaign_granted")) {
                throw Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant.");
            }
            if (Constraints.violated(e, "ck_ledger_account_balance")) {
                throw Problem.conflict("insufficient-balance", "The account's balance does not cover this amount.");
            }
            throw e;
        }
        return t;
    }

    private void debit(TransferOrder order) {
        int debited = em.createNativeQuery("update {h-schema}ledger_account set balance = balance - ?1, debits = debits + ?1 "
                        + "where id = ?2 and (kind = 'budget' or balance - ?1 >= 0)")
                .setParameter(1, order.amount()).setParameter(2, order.debitAccountId()).executeUpdate();
        if (debited != 1) {
            throw Problem.conflict("insufficient-balance", "The account's balance does not cover this amount.");
        }
    }

    private void credit(TransferOrder order) {
        em.createNativeQuery("update {h-schema}ledger_account set balance = balance + ?1, credits = credits + ?1 where id = ?2")
                .setParameter(1, order.amount()).setParameter(2, order.creditAccountId()).executeUpdate();
    }

    /** The balance as committed or as changed by this transaction (not the entity's cached copy). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long balanceOf(long accountId) {
        return ((Number) em.createNativeQuery("select balance from {h-schema}ledger_account where id = ?1")
                .setParameter(1, accountId).getSingleResult()).longValue();
    }

    private String kindOf(long accountId) {
        Object kind = em.createNativeQuery("select kind from {h-schema}ledger_account where id = ?1")
                .setParameter(1, accountId).getResultStream().findFirst().orElse(null);
        if (kind == null) {
            throw Problem.notFound("unknown-account", "No such ledger account.");
        }
        return kind.toString();
    }
}
