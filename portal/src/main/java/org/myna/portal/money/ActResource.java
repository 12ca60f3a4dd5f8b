package org.myna.portal.money;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.portal.services.RegistryApi;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.services.WalletApi;
import org.myna.portal.services.WalletClient;
import org.myna.portal.web.PortalConfig;
import org.myna.portal.web.PortalSession;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * An act approved by her card, in the login's shape (RFC 8628): the page shows what is being approved (this portal,
 * the act, its details, a short code, the time); her card app shows the same, from the registry, before the PIN, and
 * the card signs; the page's script polls here, and once the registry hands the portal the single-use operation token
 * the portal submits the act itself (the token never reaches the browser) and sends her to the act's page with the
 * outcome. Only her own card can approve (the registry binds the act to her login), so a relayed code is worthless.
 */
@Path("/me/acts")
@Produces(MediaType.TEXT_HTML)
public class ActResource {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Tokyo"));

    private final MoneyPages pages;
    private final RegistryClient registry;
    private final WalletClient wallet;
    private final PortalConfig config;
    private final Template act;

    public ActResource(MoneyPages pages, RegistryClient registry, WalletClient wallet, PortalConfig config,
                       @Location("me/act.html") Template act) {
        this.pages = pages;
        this.registry = registry;
        this.wallet = wallet;
        this.config = config;
        this.act = act;
    }

    /** What the page shows while her card is asked; everything but the device code. */
    public record ActView(String key, String operation, String detail, String userCode, String startedAt,
                          String expiresAt, long interval, String next, String portal) {
    }

    @GET
    public Response page(@Context HttpHeaders headers) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty() || !(session.get().act instanceof PendingAct a)) {
            return Response.seeOther(MoneyPages.HOME).build();
        }
        ActView view = new ActView(a.kind.key(), a.kind.operation, a.detail, a.userCode, CLOCK.format(a.startedAt) + " (JST)",
                CLOCK.format(a.expiresAt) + " (JST)", a.pollSeconds, a.kind.page, config.client().id());
        return Response.ok(pages.page(act, headers, "/me/acts").data("act", view)).build();
    }

    /** Polled by /me-act.js: pending, done, failed, expired or ended; the portal asks the registry at most per interval. */
    @GET
    @Path("status")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status(@Context HttpHeaders headers) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty()) {
            return Map.of("status", "ended");
        }
        PortalSession s = session.get();
        if (!(s.act instanceof PendingAct a)) {
            return Map.of("status", "none");
        }
        String operationToken;
        synchronized (a) {
            if (a.finished) {
                return Map.of("status", "done");
            }
            Instant now = Instant.now();
            if (now.isAfter(a.expiresAt)) {
                finish(s, a, new MoneyPages.Outcome(null, pages.said(headers, "act-expired", null), a.values));
                return Map.of("status", "expired");
            }
            if (a.lastPolled != null && a.lastPolled.plusSeconds(a.pollSeconds).isAfter(now)) {
                return Map.of("status", "pending");
            }
            a.lastPolled = now;
            try {
                operationToken = registry.deviceToken(config.client().id(), config.client().secret().orElse(""), a.deviceCode)
                        .accessToken();
            } catch (ServiceProblem e) {
                if ("authorization_pending".equals(e.code()) || "slow_down".equals(e.code())) {
                    return Map.of("status", "pending");
                }
                finish(s, a, new MoneyPages.Outcome(null, pages.said(headers, e.code(), e.detail()), a.values));
                return Map.of("status", "failed", "code", e.code());
            }
            a.finished = true;
        }
        MoneyPages.Outcome outcome = submit(headers, a, operationToken);
        finish(s, a, outcome);
        return outcome.problem() == null ? Map.of("status", "done") : Map.of("status", "failed", "code", outcome.problem().code());
    }

    /** She changed her mind: the act is forgotten here (the registry's code dies unapproved within two minutes). */
    @POST
    @Path("cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@Context HttpHeaders headers) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isPresent() && session.get().act instanceof PendingAct a) {
            synchronized (a) {
                a.finished = true;
            }
            session.get().act = null;
            return Response.seeOther(URI.create(a.kind.page)).build();
        }
        return Response.seeOther(MoneyPages.HOME).build();
    }

    private static void finish(PortalSession s, PendingAct a, MoneyPages.Outcome outcome) {
        a.finished = true;
        if (s.act == a) {
            s.act = null;
        }
        s.flash = outcome;
    }

    /** The act itself, with the operation token her card just approved: once, under the act's Idempotency-Key. */
    private MoneyPages.Outcome submit(HttpHeaders headers, PendingAct a, String operationToken) {
        Map<String, String> v = a.values;
        try {
            switch (a.kind) {
                case APPLY_POINTS -> {
                    WalletApi.Applied r = wallet.apply(operationToken, a.idempotencyKey,
                            new WalletApi.Apply(v.get("rule"), v.get("campaign")));
                    String key = "granted".equals(r.status()) ? "money.points.granted" : "money.points.eligible";
                    return new MoneyPages.Outcome(new Notice(key, String.valueOf(r.points() == null ? 0 : r.points())), null, Map.of());
                }
                case REGISTER_ACCOUNT -> {
                    RegistryApi.PublicFundAccount r = registry.registerPublicFundAccount(operationToken,
                            new RegistryApi.AccountRequest(v.get("bankCode"), v.get("branchCode"), v.get("accountType"),
                                    v.get("accountNumber"), v.get("holderKana")));
                    return new MoneyPages.Outcome(new Notice("money.account.registered",
                            MoneyPages.maskedAccount(r.accountNumber())), null, Map.of());
                }
                case CHOOSE_PAYMENT_SERVICE -> {
                    WalletApi.Chosen r = wallet.choosePaymentService(operationToken, a.idempotencyKey,
                            new WalletApi.Choose(v.get("paymentService"), v.get("campaign")));
                    return new MoneyPages.Outcome(new Notice("money.payment.code", r.bindingCode()), null, Map.of());
                }
                default -> throw new IllegalStateException(a.kind.name());
            }
        } catch (ServiceProblem e) {
            return new MoneyPages.Outcome(null, pages.said(headers, e.code(), e.detail()), v);
        }
    }
}
