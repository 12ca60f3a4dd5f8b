package org.myna.wallet.ledger;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.myna.wallet.auth.Roles;

/** The ledger's invariants as an auditor can check them at any moment. */
@Path("/api/ledger/trial-balance")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class TrialBalanceResource {

    /**
     * debits/credits: Σ over accounts; transfers: Σ of transfer amounts; balanceSum: Σ account balances (0 when
     * balanced); mismatchedAccounts: accounts whose kept balance differs from the sum of their transfers;
     * negativeBalances: resident or merchant accounts below zero; overspentCampaigns: granted ≠ −budget balance
     * or above budget; unbackedHolds: campaigns whose hold account differs from the sum of their pending redemption
     * authorisations.
     */
    public record TrialBalance(long debits, long credits, long transfers, long transferCount, long balanceSum, long accounts,
                               long mismatchedAccounts, long negativeBalances, long overspentCampaigns, long unbackedHolds, boolean equal) {
    }

    private final EntityManager em;

    public TrialBalanceResource(EntityManager em) {
        this.em = em;
    }

    @GET
    @Transactional
    public TrialBalance trialBalance() {
        Object[] acc = (Object[]) em.createNativeQuery(
                "select coalesce(sum(debits), 0), coalesce(sum(credits), 0), coalesce(sum(balance), 0), count(*) from {h-schema}ledger_account").getSingleResult();
        Object[] tr = (Object[]) em.createNativeQuery("select coalesce(sum(amount), 0), count(*) from {h-schema}transfer").getSingleResult();
        long mismatched = number(em.createNativeQuery("""
                select count(*) from {h-schema}ledger_account a where a.debits <> (select coalesce(sum(t.amount), 0) from {h-schema}transfer t where t.debit_account_id = a.id)
                   or a.credits <> (select coalesce(sum(t.amount), 0) from {h-schema}transfer t where t.credit_account_id = a.id)
                   or a.balance <> a.credits - a.debits""").getSingleResult());
        long negative = number(em.createNativeQuery("select count(*) from {h-schema}ledger_account where kind <> 'budget' and balance < 0").getSingleResult());
        long overspent = number(em.createNativeQuery("""
                select count(*) from {h-schema}campaign c join {h-schema}ledger_account a on a.campaign_id = c.id and a.kind = 'budget'
                where c.granted > c.budget or c.granted <> -a.balance""").getSingleResult());
        long unbacked = number(em.createNativeQuery("""
                select count(*) from {h-schema}ledger_account a where a.kind = 'hold' and a.balance <> (select coalesce(sum(r.amount), 0)
                from {h-schema}redemption_authorization r where r.campaign_id = a.campaign_id and r.status = 'pending')""").getSingleResult());
        long debits = number(acc[0]);
        long credits = number(acc[1]);
        long balanceSum = number(acc[2]);
        long transfers = number(tr[0]);
        boolean equal = debits == credits && debits == transfers && balanceSum == 0 && mismatched == 0 && negative == 0 && overspent == 0 && unbacked == 0;
        return new TrialBalance(debits, credits, transfers, number(tr[1]), balanceSum, number(acc[3]), mismatched, negative, overspent, unbacked, equal);
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }
}
