package org.myna.wallet.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The writer of corrections' transfers (grants, charge-backs and redemptions go through the batched writer,
 * {@link org.myna.wallet.ledger.batch.LedgerWriter}, which keeps the same invariants). Each limit is enforced by the statement that writes:
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
        return post(order, t -> { });
    }

    /**
     * Posts {@code order}; {@code beforeSharedRows} runs once the transfer row and the private (resident) side are
     * written and before the shared rows are touched, so that whatever the caller still writes (its stored answer)
     * happens before them. Shared rows — the budget and merchant accounts and the campaign's granted total, which
     * every transfer of a campaign or merchant updates — are written last: their row locks are then held for one or
     * two statements and the commit instead of the whole transaction, which is what limits concurrent grants and
     * redemptions. The order (private accounts, shared accounts by id, campaign) is the same for every transfer, so
     * two transfers cannot deadlock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Transfer post(TransferOrder order, Consumer<Transfer> beforeSharedRows) {
        if (order.amount() <= 0) {
            throw Problem.invalidField("amount", "invalid-amount", "A transfer moves a positive amount.");
        }
        Map<Long, Account> accounts = accounts(order.debitAccountId(), order.creditAccountId());
        Account debit = accounts.get(order.debitAccountId());
        Account credit = accounts.get(order.creditAccountId());
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
        try {
            // Private sides first (in id order), then the caller's last writes, then the shared rows in id order.
            List<Side> sides = new ArrayList<>(List.of(new Side(debit, () -> debit(order)), new Side(credit, () -> credit(order))));
            sides.sort(Comparator.comparing((Side side) -> side.account().shared()).thenComparingLong(side -> side.account().id()));
            sides.stream().filter(side -> !side.account().shared()).forEach(side -> side.write().run());
            beforeSharedRows.accept(t);
            sides.stream().filter(side -> side.account().shared()).forEach(side -> side.write().run());
            if (debit.budget()) {
                // Points leave the budget: the campaign's granted total grows, never past the budget.
                int rows = em.createNativeQuery("update {h-schema}campaign set granted = granted + ?1 where id = ?2 and granted + ?1 <= budget")
                        .setParameter(1, order.amount()).setParameter(2, debit.campaignId()).executeUpdate();
                if (rows != 1) {
                    throw Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant.");
                }
            }
            if (credit.budget()) {
                em.createNativeQuery("update {h-schema}campaign set granted = granted - ?1 where id = ?2")
                        .setParameter(1, order.amount()).setParameter(2, credit.campaignId()).executeUpdate();
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

    /** What the ledger needs of an account to order its writes; shared accounts are written by many transfers. */
    private record Account(long id, String kind, String campaignId) {
        boolean budget() {
            return LedgerAccount.BUDGET.equals(kind);
        }

        boolean shared() {
            return !LedgerAccount.RESIDENT.equals(kind);
        }
    }

    private record Side(Account account, Runnable write) {
    }

    private Map<Long, Account> accounts(long debitId, long creditId) {
        Map<Long, Account> found = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, kind, campaign_id from {h-schema}ledger_account where id in (?1, ?2)")
                .setParameter(1, debitId).setParameter(2, creditId).getResultList();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            found.put(id, new Account(id, row[1].toString(), row[2] == null ? null : row[2].toString()));
        }
        if (!found.containsKey(debitId) || !found.containsKey(creditId)) {
            throw Problem.notFound("unknown-account", "No such ledger account.");
        }
        return found;
    }
}
