package org.myna.portal.money;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.portal.resident.PageProblem;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.services.WalletApi;
import org.myna.portal.services.WalletClient;
import org.myna.portal.web.PortalSession;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * My payment-service binding (DESIGN §6.2): she chooses her payment service with an operation token her card approves
 * and gets a binding code, shown once, to give that service; the service confirms it with its account and her name in
 * kana. The page shows whether the binding is confirmed (charges earn points back) or pending (they earn nothing yet).
 */
@Path("/me/payment-service")
@Produces(MediaType.TEXT_HTML)
public class PaymentServiceResource {

    private static final URI PAGE = URI.create("/me/payment-service");

    private final MoneyPages pages;
    private final WalletClient wallet;
    private final Template payment;

    public PaymentServiceResource(MoneyPages pages, WalletClient wallet, @Location("me/payment-service.html") Template payment) {
        this.pages = pages;
        this.wallet = wallet;
        this.payment = payment;
    }

    public record ChoiceView(String campaign, String paymentService, String status, String statusKey, String paymentAccount,
                             String bindingExpiresAt, boolean earns) {
    }

    @GET
    public Response page(@Context HttpHeaders headers) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty()) {
            return Response.seeOther(MoneyPages.HOME).build();
        }
        PortalSession s = session.get();
        MoneyPages.Outcome outcome = MoneyPages.outcome(s);
        PageProblem problem = outcome == null ? null : outcome.problem();
        ChoiceView choice = null;
        int status = 200;
        try {
            WalletApi.PaymentChoice c = wallet.paymentChoice(pages.walletToken(s), null);
            String st = c.status();
            choice = new ChoiceView(c.campaign(), c.paymentService(), st,
                    "money.payment.status." + ("confirmed".equals(st) || "pending".equals(st) ? st : "unconfirmed"),
                    c.paymentAccount(), c.bindingExpiresAt(), Boolean.TRUE.equals(c.earns()));
        } catch (ServiceProblem e) {
            pages.endIfOver(s, e);
            if (!"no-payment-service".equals(e.code())) {
                s.walletToken = null;
                problem = pages.said(headers, e.code(), e.detail());
                status = e.status() >= 500 ? 503 : 400;
            }
        }
        return Response.status(status).entity(pages.page(payment, headers, "/me/payment-service")
                .data("choice", choice).data("notice", outcome == null ? null : outcome.notice()).data("problem", problem)
                .data("values", outcome == null ? Map.of() : outcome.values())).build();
    }

    /** Asks her card to approve choosing this payment service (13-digit corporate number) for the campaign. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@Context HttpHeaders headers, @FormParam("paymentService") String paymentService,
                           @FormParam("campaign") String campaignParam) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty()) {
            return Response.seeOther(MoneyPages.HOME).build();
        }
        PortalSession s = session.get();
        String service = paymentService == null ? "" : paymentService.replaceAll("[\\s-]", "");
        String campaign = MoneyPages.blankToNull(campaignParam);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("paymentService", service);
        values.put("campaign", campaign == null ? "" : campaign);
        if (!service.matches("\\d{13}")) {
            s.flash = new MoneyPages.Outcome(null, pages.said(headers, "invalid-corporate-number", null), values);
            return Response.seeOther(PAGE).build();
        }
        if (campaign != null && !MoneyPages.CAMPAIGN.matcher(campaign).matches()) {
            s.flash = new MoneyPages.Outcome(null, pages.said(headers, "invalid-campaign", null), values);
            return Response.seeOther(PAGE).build();
        }
        String detail = "payment service " + service + " / campaign " + (campaign == null ? "(default)" : campaign);
        return pages.startAct(headers, s, PendingAct.Kind.CHOOSE_PAYMENT_SERVICE, detail, values);
    }
}
