package org.myna.portal.money;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.portal.resident.PageProblem;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.services.WalletApi;
import org.myna.portal.services.WalletClient;
import org.myna.portal.web.PortalSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * My points: the balance and every transfer on her account (grants, points back on charges, redemptions, holds),
 * read with her wallet token; and applying for a grant, which needs a fresh operation token her card approves.
 */
@Path("/me/points")
@Produces(MediaType.TEXT_HTML)
public class PointsResource {

    /** The campaign's national rules a resident applies under (the wallet's own list). */
    static final List<String> RULES = List.of("public-fund-account", "insurance-link", "card-acquisition");
    private static final Set<String> KINDS = Set.of("grant", "charge-back", "redemption", "correction", "hold", "release");

    private final MoneyPages pages;
    private final WalletClient wallet;
    private final Template points;

    public PointsResource(MoneyPages pages, WalletClient wallet, @Location("me/points.html") Template points) {
        this.pages = pages;
        this.wallet = wallet;
        this.points = points;
    }

    public record Balance(String campaign, long balance, long received, long spent, long held) {
    }

    /** One transfer as the page shows it: when, what kind (in words), under which rule, how many points (signed). */
    public record Entry(String at, String kindKey, String ruleKey, long amount) {
        public String signed() {
            return (amount > 0 ? "+" : "") + amount;
        }
    }

    @GET
    public Response page(@Context HttpHeaders headers, @QueryParam("campaign") String campaignParam) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty()) {
            return Response.seeOther(MoneyPages.HOME).build();
        }
        PortalSession s = session.get();
        MoneyPages.Outcome outcome = MoneyPages.outcome(s);
        String campaign = MoneyPages.blankToNull(campaignParam);
        if (campaign != null && !MoneyPages.CAMPAIGN.matcher(campaign).matches()) {
            campaign = null;
            outcome = new MoneyPages.Outcome(null, pages.said(headers, "invalid-campaign", null), Map.of());
        }
        Balance balance = null;
        List<Entry> entries = List.of();
        PageProblem problem = outcome == null ? null : outcome.problem();
        int status = 200;
        try {
            String token = pages.walletToken(s);
            WalletApi.Balance b = wallet.balanceOf(token, campaign);
            balance = new Balance(b.campaign(), points(b.balance()), points(b.received()), points(b.spent()), points(b.held()));
            entries = entries(wallet.history(token, campaign));
        } catch (ServiceProblem e) {
            pages.endIfOver(s, e);
            s.walletToken = null;
            problem = pages.said(headers, e.code(), e.detail());
            status = e.status() >= 500 ? 503 : e.status() == 404 ? 404 : 400;
        }
        return Response.status(status).entity(pages.page(points, headers, "/me/points")
                .data("balance", balance).data("entries", entries).data("rules", Option.of("money.rule.", RULES))
                .data("notice", outcome == null ? null : outcome.notice()).data("problem", problem)
                .data("values", outcome == null ? Map.of() : outcome.values())).build();
    }

    /** Asks her card to approve an application for points under one rule (the campaign: the default when blank). */
    @POST
    @Path("application")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response apply(@Context HttpHeaders headers, @FormParam("rule") String rule, @FormParam("campaign") String campaignParam) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty()) {
            return Response.seeOther(MoneyPages.HOME).build();
        }
        PortalSession s = session.get();
        String campaign = MoneyPages.blankToNull(campaignParam);
        Map<String, String> values = new HashMap<>();
        values.put("rule", rule == null ? "" : rule);
        values.put("campaign", campaign == null ? "" : campaign);
        if (rule == null || !RULES.contains(rule)) {
            s.flash = new MoneyPages.Outcome(null, pages.said(headers, "unknown-rule", null), values);
            return Response.seeOther(java.net.URI.create("/me/points")).build();
        }
        if (campaign != null && !MoneyPages.CAMPAIGN.matcher(campaign).matches()) {
            s.flash = new MoneyPages.Outcome(null, pages.said(headers, "invalid-campaign", null), values);
            return Response.seeOther(java.net.URI.create("/me/points")).build();
        }
        String detail = "campaign " + (campaign == null ? "(default)" : campaign) + " / rule " + rule;
        return pages.startAct(headers, s, PendingAct.Kind.APPLY_POINTS, detail, values);
    }

    private static final java.time.format.DateTimeFormatter JST = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneId.of("Asia/Tokyo"));

    /** The wallet's instant in Japan's time, to the minute; as the wallet wrote it when it is not an ISO instant. */
    static String jst(String at) {
        try {
            return JST.format(java.time.OffsetDateTime.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return at;
        }
    }

    private static List<Entry> entries(WalletApi.History history) {
        List<Entry> list = new ArrayList<>();
        for (WalletApi.Entry e : history.entries() == null ? List.<WalletApi.Entry>of() : history.entries()) {
            list.add(new Entry(jst(e.at() == null ? "" : e.at()),
                    "money.points.kind." + (KINDS.contains(e.kind()) ? e.kind() : "other"),
                    e.rule() == null || e.rule().isEmpty() ? null : "money.rule." + e.rule(), points(e.amount())));
        }
        return list;
    }

    private static long points(Long amount) {
        return amount == null ? 0 : amount;
    }
}
