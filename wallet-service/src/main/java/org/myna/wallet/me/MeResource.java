package org.myna.wallet.me;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.PaymentAccount;
import org.myna.wallet.choice.PaymentChoice;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.provider.Provider;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** A resident's own points: the account is chosen by the token's subject, never by a parameter. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RESIDENT)
public class MeResource {

    /**
     * balance = received − spent − held: points on hold for a merchant's pending authorisation are neither spent nor
     * spendable, and a hold that returns (void, expiry, the rest of a capture) was never received.
     */
    public record Balance(String campaign, long balance, long received, long spent, long held) {
    }

    public record Entry(long transferId, String kind, String rule, long amount, String at) {
    }

    public record History(String campaign, List<Entry> entries) {
    }

    /** The resident's payment service and whether it earns: what to do next is said, not left to guess. */
    public record PaymentChoiceView(String campaign, String paymentService, String status, String paymentAccount,
                                    String bindingExpiresAt, boolean earns, String note) {
    }

    private final JsonWebToken jwt;
    private final CampaignService campaigns;
    private final EntityManager em;

    public MeResource(JsonWebToken jwt, CampaignService campaigns, EntityManager em) {
        this.jwt = jwt;
        this.campaigns = campaigns;
        this.em = em;
    }

    @Extension(name = "x-refusals", value = "400 invalid-campaign, 404 unknown-campaign")
    @GET
    @Path("/balance")
    @Transactional
    public Balance balance(@QueryParam("campaign") String campaign) {
        String id = campaigns.idOrDefault(campaign);
        LedgerAccount a = LedgerAccount.residentOf(id, jwt.getSubject());
        if (a == null) {
            return new Balance(id, 0, 0, 0, 0);
        }
        Object[] holds = (Object[]) em.createNativeQuery("""
                        select coalesce(sum(case when kind = 'hold' then amount else 0 end), 0),
                               coalesce(sum(case when kind = 'release' then amount else 0 end), 0)
                        from {h-schema}transfer where (debit_account_id = ?1 and kind = 'hold') or (credit_account_id = ?1 and kind = 'release')""")
                .setParameter(1, a.id).getSingleResult();
        long held = ((Number) holds[0]).longValue();
        long released = ((Number) holds[1]).longValue();
        return new Balance(id, a.balance, a.credits - released, a.debits - held, held - released);
    }

    @Extension(name = "x-refusals", value = "400 invalid-campaign, 404 unknown-campaign")
    @GET
    @Path("/payment-choice")
    @Transactional
    public PaymentChoiceView paymentChoice(@QueryParam("campaign") String campaign) {
        String id = campaigns.idOrDefault(campaign);
        PaymentChoice choice = PaymentChoice.of(jwt.getSubject(), id);
        if (choice == null) {
            throw Problem.notFound("no-payment-service", "No payment service was chosen for this campaign.");
        }
        Provider provider = Provider.findById(choice.providerId);
        PaymentAccount account = choice.paymentAccountId == null ? null : PaymentAccount.findById(choice.paymentAccountId);
        String note = switch (choice.status) {
            case PaymentChoice.CONFIRMED -> "Your payment service confirmed this account; it earns points back on charges.";
            case PaymentChoice.PENDING -> "Give your binding code to your payment service before it expires; until it confirms"
                    + " your account, charges earn nothing.";
            default -> "Your payment service has not confirmed an account for you: nothing earns points back. Choose the"
                    + " payment service again to get a binding code, and give it to the service.";
        };
        return new PaymentChoiceView(id, provider.corporateNumber, choice.status, account == null ? null : account.accountRef,
                PaymentChoice.PENDING.equals(choice.status) ? choice.bindingExpiresAt.toString() : null,
                PaymentChoice.CONFIRMED.equals(choice.status), note);
    }

    /** Every transfer on the resident's account, newest first; amounts are signed (+ received, − spent or reversed). */
    @Extension(name = "x-refusals", value = "400 invalid-campaign, 404 unknown-campaign")
    @GET
    @Path("/history")
    @Transactional
    public History history(@QueryParam("campaign") String campaign) {
        String id = campaigns.idOrDefault(campaign);
        LedgerAccount a = LedgerAccount.residentOf(id, jwt.getSubject());
        List<Entry> entries = new ArrayList<>();
        if (a != null) {
            // Newest first by time: the batched writer and Hibernate take transfer ids from different blocks of the
            // sequence, so ids are unique but not in the order the transfers were made.
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            select id, kind, rule, case when credit_account_id = ?1 then amount else -amount end, created_at
                            from {h-schema}transfer where debit_account_id = ?1 or credit_account_id = ?1 order by created_at desc, id desc""")
                    .setParameter(1, a.id).setMaxResults(1000).getResultList();
            for (Object[] r : rows) {
                entries.add(new Entry(((Number) r[0]).longValue(), (String) r[1], (String) r[2], ((Number) r[3]).longValue(), String.valueOf(r[4])));
            }
        }
        return new History(id, entries);
    }

}
