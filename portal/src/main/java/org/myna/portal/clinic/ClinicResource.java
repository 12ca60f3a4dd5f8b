package org.myna.portal.clinic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
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
import org.myna.portal.services.InsuranceApi;
import org.myna.portal.services.InsuranceClient;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalSession;
import org.myna.portal.web.SessionStore;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The clinic's reception page: the facility logs in as its OAuth client, then checks a patient by card (the card at
 * the counter signs the clinic's nonce after the PIN) or by a fallback (eligibility certificate number; insurer,
 * symbol, number and date of birth). Every form posts, carries the CSRF token, and redirects back (post/redirect/get).
 */
@Path("/clinic")
@Produces(MediaType.TEXT_HTML)
public class ClinicResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI HOME = URI.create("/clinic");

    private final SessionStore sessions;
    private final Messages messages;
    private final RegistryClient registry;
    private final InsuranceClient insurance;
    private final Template login;
    private final Template reception;

    public ClinicResource(SessionStore sessions, Messages messages, RegistryClient registry, InsuranceClient insurance,
                          @Location("clinic/login.html") Template login,
                          @Location("clinic/reception.html") Template reception) {
        this.sessions = sessions;
        this.messages = messages;
        this.registry = registry;
        this.insurance = insurance;
        this.login = login;
        this.reception = reception;
    }

    @GET
    public Response page(@Context HttpHeaders headers) {
        Optional<PortalSession> session = sessions.find(headers, PortalSession.Kind.CLINIC);
        if (session.isEmpty()) {
            return Response.ok(loginPage(headers, null)).build();
        }
        PortalSession s = session.get();
        Object flash = s.takeFlash();
        return Response.ok(reception.data("m", messages.of(headers)).data("lang", Messages.language(headers))
                        .data("back", "/clinic").data("clientId", s.clientId).data("institutionCode", s.institutionCode)
                        .data("challengeId", s.challengeId).data("nonce", s.nonce)
                        .data("result", flash instanceof CheckResult r ? r : null)
                        .data("problem", flash instanceof Problem p ? p : null))
                .build();
    }

    /** A problem shown in words on the page, with its code. */
    public record Problem(String code, String detail) {
        public String key() {
            return "problem." + code;
        }
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@Context HttpHeaders headers, @FormParam("clientId") String clientId,
                          @FormParam("clientSecret") String secret, @FormParam("institutionCode") String institution) {
        if (blank(clientId) || blank(secret) || institution == null || !institution.matches("[0-9]{10}")) {
            return Response.status(400).entity(loginPage(headers, new Problem("login-incomplete", null))).build();
        }
        RegistryClient.Token token;
        try {
            token = registry.facilityToken(clientId.trim(), secret);
        } catch (ServiceProblem e) {
            int status = e.status() >= 500 ? 503 : 401;
            return Response.status(status).entity(loginPage(headers, new Problem(e.code(), e.detail()))).build();
        }
        PortalSession s = sessions.create(PortalSession.Kind.CLINIC);
        s.accessToken = token.accessToken();
        s.tokenExpiresAt = Instant.now().plusSeconds(Math.max(0, token.expiresIn() - 5));
        s.clientId = clientId.trim();
        s.institutionCode = institution;
        return Response.seeOther(HOME).cookie(sessions.cookie(s)).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@Context HttpHeaders headers) {
        sessions.find(headers, PortalSession.Kind.CLINIC).ifPresent(sessions::end);
        return Response.seeOther(HOME).cookie(sessions.clearing(PortalSession.Kind.CLINIC)).build();
    }

    /** Asks the insurance service for a nonce; the page then shows it for the card at the counter. */
    @POST
    @Path("card-checks/start")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response startCardCheck(@Context HttpHeaders headers) {
        return withSession(headers, s -> {
            try {
                InsuranceClient.Challenge c = insurance.challenge(s.accessToken, s.institutionCode);
                s.challengeId = c.challengeId();
                s.nonce = c.nonce();
            } catch (ServiceProblem e) {
                s.flash = CheckResult.problem("card", e.code(), e.detail());
            }
        });
    }

    /** The reader's answer for the pending nonce: the card's certificate and its signature, as JSON. */
    @POST
    @Path("card-checks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cardCheck(@Context HttpHeaders headers, @FormParam("reader") String reader) {
        return withSession(headers, s -> {
            if (s.challengeId == null) {
                s.flash = new Problem("no-check-started", null);
                return;
            }
            String certificate;
            String signature;
            try {
                JsonNode r = JSON.readTree(reader == null ? "" : reader);
                certificate = r.path("certificate").asText(null);
                signature = r.path("signature").asText(null);
            } catch (java.io.IOException e) {
                certificate = null;
                signature = null;
            }
            if (blank(certificate) || blank(signature)) {
                s.flash = new Problem("reader-answer-unreadable", null);
                return;
            }
            String challengeId = s.challengeId;
            s.challengeId = null; // a nonce is good for one check: the next patient gets a fresh one
            s.nonce = null;
            String cert = certificate;
            String sig = signature;
            s.flash = check("card", () -> insurance.cardCheck(s.accessToken, s.institutionCode, challengeId,
                    cert, sig));
        });
    }

    @POST
    @Path("certificate-checks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response certificateCheck(@Context HttpHeaders headers, @FormParam("certificateNumber") String number) {
        return withSession(headers, s -> {
            if (blank(number)) {
                s.flash = new Problem("certificate-number-required", null);
                return;
            }
            s.flash = check("certificate", () -> insurance.certificateCheck(s.accessToken, s.institutionCode,
                    number.trim()));
        });
    }

    @POST
    @Path("number-checks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response numberCheck(@Context HttpHeaders headers, @FormParam("insurerNumber") String insurerNumber,
                                @FormParam("symbol") String symbol, @FormParam("number") String number,
                                @FormParam("branch") String branch, @FormParam("dateOfBirth") String dateOfBirth) {
        return withSession(headers, s -> {
            if (blank(insurerNumber) || blank(symbol) || blank(number) || blank(dateOfBirth)) {
                s.flash = new Problem("number-check-incomplete", null);
                return;
            }
            InsuranceApi.NumberCheck body = new InsuranceApi.NumberCheck(insurerNumber.trim(), symbol.trim(), number.trim(),
                    blank(branch) ? "00" : branch.trim(), dateOfBirth.trim());
            s.flash = check("number", () -> insurance.numberCheck(s.accessToken, s.institutionCode, body));
        });
    }

    private static CheckResult check(String method, java.util.function.Supplier<InsuranceApi.CheckAnswer> call) {
        try {
            return CheckResult.of(method, call.get());
        } catch (ServiceProblem e) {
            return CheckResult.problem(method, e.code(), e.detail());
        }
    }

    private Response withSession(HttpHeaders headers, java.util.function.Consumer<PortalSession> action) {
        Optional<PortalSession> session = sessions.find(headers, PortalSession.Kind.CLINIC);
        if (session.isEmpty()) {
            // Expired or never logged in: back to the login form, and the stale cookie goes.
            return Response.seeOther(HOME).cookie(sessions.clearing(PortalSession.Kind.CLINIC)).build();
        }
        action.accept(session.get());
        return Response.seeOther(HOME).build();
    }

    private TemplateInstance loginPage(HttpHeaders headers, Problem problem) {
        return login.data("m", messages.of(headers)).data("lang", Messages.language(headers)).data("back", "/clinic")
                .data("problem", problem);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
