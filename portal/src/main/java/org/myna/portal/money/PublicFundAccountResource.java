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
import org.myna.portal.services.RegistryApi;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.PortalSession;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * My public-fund account (公金受取口座) at the registry: shown masked, registered or replaced with an operation token
 * her card approves. The registry accepts only an account in her own name (its holder's kana must be hers): when it
 * refuses, the page says so in words beside both names, because accounts registered under another person's name
 * (a family member's, most often) are what made the real system infamous.
 */
@Path("/me/public-fund-account")
@Produces(MediaType.TEXT_HTML)
public class PublicFundAccountResource {

    private static final URI PAGE = URI.create("/me/public-fund-account");
    static final List<String> TYPES = List.of("ordinary", "current", "savings");
    /** The registry's own rules for each field, checked here first so that a typo costs no card approval. */
    private static final Map<String, String> FIELDS = Map.of("bankCode", "\\d{4}", "branchCode", "\\d{3}",
            "accountType", "ordinary|current|savings", "accountNumber", "\\d{7}", "holderKana", "[^\\p{Cntrl}]{1,200}");

    private final MoneyPages pages;
    private final RegistryClient registry;
    private final Template account;

    public PublicFundAccountResource(MoneyPages pages, RegistryClient registry,
                                     @Location("me/public-fund-account.html") Template account) {
        this.pages = pages;
        this.registry = registry;
        this.account = account;
    }

    /** Her account as the page shows it: the account number masked. */
    public record AccountView(String bankCode, String branchCode, String typeKey, String maskedNumber, String holderKana,
                              String registeredAt) {
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
        AccountView view = null;
        String registeredKana;
        int status = 200;
        try {
            RegistryApi.Me me = registry.me(s.accessToken);
            registeredKana = (Objects.toString(me.familyNameKana(), "") + " " + Objects.toString(me.givenNameKana(), "")).trim();
            try {
                RegistryApi.PublicFundAccount a = registry.publicFundAccount(s.accessToken);
                view = new AccountView(a.bankCode(), a.branchCode(), "money.account.type." + a.accountType(),
                        MoneyPages.maskedAccount(a.accountNumber()), a.holderKana(), a.registeredAt());
            } catch (ServiceProblem e) {
                if (!"no-public-fund-account".equals(e.code())) {
                    throw e;
                }
            }
        } catch (ServiceProblem e) {
            pages.endIfOver(s, e);
            registeredKana = "";
            problem = pages.said(headers, e.code(), e.detail());
            status = e.status() >= 500 ? 503 : 400;
        }
        Map<String, String> values = outcome == null ? Map.of() : outcome.values();
        return Response.status(status).entity(pages.page(account, headers, "/me/public-fund-account")
                .data("account", view).data("registeredKana", registeredKana).data("types", Option.of("money.account.type.", TYPES))
                .data("notice", outcome == null ? null : outcome.notice()).data("problem", problem)
                .data("kanaMismatch", problem != null && "holder-kana-mismatch".equals(problem.code()))
                .data("values", values)).build();
    }

    /** Checks the form, then asks her card to approve registering exactly this account. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@Context HttpHeaders headers, @FormParam("bankCode") String bankCode,
                             @FormParam("branchCode") String branchCode, @FormParam("accountType") String accountType,
                             @FormParam("accountNumber") String accountNumber, @FormParam("holderKana") String holderKana) {
        Optional<PortalSession> session = pages.loggedIn(headers);
        if (session.isEmpty()) {
            return Response.seeOther(MoneyPages.HOME).build();
        }
        PortalSession s = session.get();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bankCode", trim(bankCode));
        values.put("branchCode", trim(branchCode));
        values.put("accountType", trim(accountType));
        values.put("accountNumber", trim(accountNumber));
        values.put("holderKana", trim(holderKana));
        for (Map.Entry<String, String> f : values.entrySet()) {
            if (!f.getValue().matches(FIELDS.get(f.getKey()))) {
                s.flash = new MoneyPages.Outcome(null, pages.said(headers, "account-field-invalid",
                        pages.words(headers, "money.field." + f.getKey())), values);
                return Response.seeOther(PAGE).build();
            }
        }
        // What her card app shows: the account, its number masked (no name: the registry keeps this row a day).
        String detail = "bank " + values.get("bankCode") + " branch " + values.get("branchCode") + " "
                + values.get("accountType") + " " + MoneyPages.maskedAccount(values.get("accountNumber"));
        return pages.startAct(headers, s, PendingAct.Kind.REGISTER_ACCOUNT, detail, values);
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
