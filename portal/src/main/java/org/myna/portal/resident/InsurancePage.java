package org.myna.portal.resident;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.portal.services.InsuranceApi;
import org.myna.portal.services.InsuranceClient;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalConfig;
import org.myna.portal.web.PortalSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.myna.portal.resident.ResidentResource.orEmpty;


/**
 * My insurance: the coverage exactly as a clinic's check shows it (insurer, symbol and number, copay, validity, the
 * name as the insurer holds it), and every clinic check that named me. The insurance service is asked with her own
 * token there, got by token exchange at the registry (RFC 8693: no second card signature); the registry is asked
 * about her card first ({@link ResidentGuard}), because the insurance service learns of a revocation only by the feed.
 */
@Path("/me/insurance")
@Produces(MediaType.TEXT_HTML)
public class InsurancePage {

    private final ResidentGuard guard;
    private final RegistryClient registry;
    private final InsuranceClient insurance;
    private final PortalConfig config;
    private final Messages messages;
    private final Template page;

    public InsurancePage(ResidentGuard guard, RegistryClient registry, InsuranceClient insurance, PortalConfig config,
                         Messages messages, @Location("me/insurance.html") Template page) {
        this.guard = guard;
        this.registry = registry;
        this.insurance = insurance;
        this.config = config;
        this.messages = messages;
        this.page = page;
    }

    @GET
    public Response show(@Context HttpHeaders headers) {
        PortalSession s = guard.require(headers);
        Map<String, String> words = messages.of(headers);
        List<CoverageView> coverage = new ArrayList<>();
        List<CheckView> checks = new ArrayList<>();
        PageProblem problem = null;
        int status = 200;
        try {
            String token = insuranceToken(s);
            insurance.myCoverage(token).forEach(c -> coverage.add(CoverageView.of(c)));
            insurance.myChecks(token).forEach(c -> checks.add(CheckView.of(c, words)));
        } catch (ServiceProblem e) {
            s.insuranceToken = null;
            RuntimeException outcome = guard.refused(s, e);
            if (outcome instanceof ResidentGuard.SessionEnded ended) {
                throw ended;
            }
            // Unreachable or busy is never "not insured": the words say retry, the code says what the service said.
            problem = e.status() >= 500 ? new PageProblem(e.code(), null, "care.problem.insurance-unavailable")
                    : PageProblem.of(words, e.code(), null);
            status = e.status() >= 500 ? 503 : 502;
        }
        return Response.status(status).entity(page.data("m", words).data("lang", Messages.language(headers))
                .data("back", "/me/insurance").data("coverage", coverage).data("checks", checks)
                .data("problem", problem)).build();
    }

    private String insuranceToken(PortalSession s) {
        String token = s.insuranceToken;
        if (token == null) {
            token = registry.exchange(config.client().id(), config.client().secret().orElse(""), s.accessToken,
                    "insurance").accessToken();
            s.insuranceToken = token;
        }
        return token;
    }

    /** One coverage as the clinic sees it; the copay as a percentage; validity "until" empty when open-ended. */
    public record CoverageView(String insurerName, String insurerNumber, String symbol, String number, String branch,
                               String copay, String validFrom, String validUntil, String familyName, String givenName,
                               String kana, String dateOfBirth, String status) {
        public String statusKey() {
            return "care.status." + status;
        }

        static CoverageView of(InsuranceApi.Coverage c) {
            return new CoverageView(orEmpty(c.insurerName()), orEmpty(c.insurerNumber()), orEmpty(c.symbol()), orEmpty(c.number()),
                    orEmpty(c.branch()), c.copayRate() == null ? "" : c.copayRate() + "%",
                    orEmpty(c.validFrom()), orEmpty(c.validUntil()), orEmpty(c.familyName()), orEmpty(c.givenName()),
                    (orEmpty(c.familyNameKana()) + " " + orEmpty(c.givenNameKana())).trim(), orEmpty(c.dateOfBirth()),
                    orEmpty(c.status()));
        }
    }

    private static final java.time.format.DateTimeFormatter MINUTE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneId.of("Asia/Tokyo"));

    /** The check's time as people read it here: Japan time to the minute (the service's instant as is if unreadable). */
    static String japanTime(String instant) {
        try {
            return MINUTE.format(java.time.OffsetDateTime.parse(instant));
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    /** One clinic check: when, which medical institution, how (card or a fallback), and the answer in words. */
    public record CheckView(String at, String institutionCode, String method, String result, String resultKey) {
        static CheckView of(InsuranceApi.CheckView c, Map<String, String> words) {
            String result = orEmpty(c.result());
            String own = "care.result." + result;
            String clinic = "result." + result;
            return new CheckView(japanTime(orEmpty(c.checkedAt())), orEmpty(c.institutionCode()), "care.method." + orEmpty(c.method()),
                    result, words.containsKey(own) ? own : words.containsKey(clinic) ? clinic : "care.result.other");
        }
    }
}
