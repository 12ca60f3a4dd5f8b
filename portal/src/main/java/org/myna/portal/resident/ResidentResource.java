package org.myna.portal.resident;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.portal.clinic.ClinicResource.Problem;
import org.myna.portal.services.RegistryApi;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalConfig;
import org.myna.portal.web.PortalSession;
import org.myna.portal.web.SessionStore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The resident portal. Login with the card from a PC (RFC 8628 at the registry): the page shows a short code, the
 * resident's card app shows who asks and approves with the card, and the page (polling /me/login/status) gets her
 * session. Nothing personal is shown before login; every page asks the registry afresh with her token, so a card
 * revoked or suspended anywhere ends the session at the next request.
 */
@Path("/me")
@Produces(MediaType.TEXT_HTML)
public class ResidentResource {

    private static final URI HOME = URI.create("/me");
    private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(java.time.ZoneId.of("Asia/Tokyo"));

    private final SessionStore sessions;
    private final Messages messages;
    private final RegistryClient registry;
    private final PortalConfig config;
    private final org.myna.portal.services.WalletClient wallet;
    private final Template login;
    private final Template pending;
    private final Template home;
    private final ResidentGuard guard;

    public ResidentResource(SessionStore sessions, Messages messages, RegistryClient registry, PortalConfig config,
                            org.myna.portal.services.WalletClient wallet,
                            @Location("me/login.html") Template login, @Location("me/pending.html") Template pending,
                            @Location("me/home.html") Template home, ResidentGuard guard) {
        this.guard = guard;
        this.sessions = sessions;
        this.messages = messages;
        this.registry = registry;
        this.config = config;
        this.wallet = wallet;
        this.login = login;
        this.pending = pending;
        this.home = home;
    }

    @GET
    public Response page(@Context HttpHeaders headers) {
        Optional<PortalSession> session = sessions.find(headers, PortalSession.Kind.RESIDENT);
        if (session.isEmpty()) {
            return Response.ok(page(login, headers).data("problem", null)).build();
        }
        PortalSession s = session.get();
        if (s.accessToken == null) {
            String qr = s.verificationUriComplete == null ? null
                    : org.myna.portal.web.QrSvg.of(s.verificationUriComplete, "qr-caption");
            return Response.ok(page(pending, headers).data("userCode", s.userCode)
                    .data("qr", qr == null ? null : new io.quarkus.qute.RawString(qr))
                    .data("registry", "").data("expiresAt", CLOCK.format(s.loginExpiresAt) + " (JST)").data("interval", s.pollSeconds)).build();
        }
        try {
            RegistryApi.Me me = registry.me(s.accessToken);
            guard.confirmed(s);
            Object points = points(s);
            Object flash = s.takeFlash();
            return Response.ok(page(home, headers).data("me", MeView.of(me)).data("masked", masked(me.number()))
                    .data("points", points instanceof org.myna.portal.services.WalletApi.Balance b ? b : null)
                    .data("pointsProblem", points instanceof Problem p ? p : null)
                    .data("problem", flash instanceof Problem p ? p : null)
                    .data("notice", flash instanceof String n ? n : null)).build();
        } catch (ServiceProblem e) {
            // A registry that cannot answer now is "retry" and keeps her login; a refused login ends all of hers.
            throw guard.meRefused(s, e);
        }
    }

    /** Starts a card login: a fresh session holding the registry's device code; the page shows the user code. */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response startLogin(@Context HttpHeaders headers) {
        sessions.find(headers, PortalSession.Kind.RESIDENT).ifPresent(sessions::end);
        RegistryClient.DeviceLogin d;
        try {
            d = registry.startDeviceLogin(config.client().id(), config.client().secret().orElse(""));
        } catch (ServiceProblem e) {
            return Response.status(e.status() >= 500 ? 503 : 502)
                    .entity(page(login, headers).data("problem", new Problem(e.code(), e.detail()))).build();
        }
        PortalSession s = sessions.create(PortalSession.Kind.RESIDENT);
        s.deviceCode = d.deviceCode();
        s.userCode = d.userCode();
        s.verificationUriComplete = d.verificationUriComplete();
        s.loginExpiresAt = Instant.now().plusSeconds(d.expiresIn());
        s.pollSeconds = Math.max(1, d.interval());
        return Response.seeOther(HOME).cookie(sessions.cookie(s)).build();
    }

    /** The page's script polls here; the portal polls the registry at most once per interval. */
    @GET
    @Path("login/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status(@Context HttpHeaders headers) {
        Optional<PortalSession> session = sessions.find(headers, PortalSession.Kind.RESIDENT);
        if (session.isEmpty()) {
            return Map.of("status", "ended");
        }
        PortalSession s = session.get();
        if (s.accessToken != null) {
            return Map.of("status", "approved");
        }
        Instant now = Instant.now();
        if (now.isAfter(s.loginExpiresAt)) {
            sessions.end(s);
            return Map.of("status", "expired");
        }
        if (s.lastPolled != null && s.lastPolled.plusSeconds(s.pollSeconds).isAfter(now)) {
            return Map.of("status", "pending");
        }
        s.lastPolled = now;
        try {
            RegistryClient.Token t = registry.deviceToken(config.client().id(), config.client().secret().orElse(""),
                    s.deviceCode);
            s.accessToken = t.accessToken();
            s.tokenExpiresAt = now.plusSeconds(Math.max(0, t.expiresIn() - 5));
            s.subject = subjectOf(t.accessToken());
            s.deviceCode = null;
            return Map.of("status", "approved");
        } catch (ServiceProblem e) {
            if ("authorization_pending".equals(e.code()) || "slow_down".equals(e.code())) {
                return Map.of("status", "pending");
            }
            sessions.end(s);
            return Map.of("status", "failed", "code", e.code());
        }
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@Context HttpHeaders headers) {
        sessions.find(headers, PortalSession.Kind.RESIDENT).ifPresent(sessions::end);
        return Response.seeOther(HOME).cookie(sessions.clearing(PortalSession.Kind.RESIDENT)).build();
    }

    /** Suspends the card now (lost it?) and ends every session of this resident at this portal. */
    @POST
    @Path("card/suspension")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response suspend(@Context HttpHeaders headers) {
        Optional<PortalSession> session = guard.loggedIn(headers);
        if (session.isEmpty()) {
            return Response.seeOther(HOME).build();
        }
        PortalSession s = session.get();
        try {
            registry.suspendCard(s.accessToken);
        } catch (ServiceProblem e) {
            s.flash = new Problem(e.code(), e.detail());
            return Response.seeOther(HOME).build();
        }
        guard.end(s);
        return Response.ok(page(login, headers).data("problem", new Problem("card-suspended-by-you", null)))
                .cookie(sessions.clearing(PortalSession.Kind.RESIDENT)).build();
    }

    /** Her points, or the problem that kept them from the page (which shows the rest regardless). */
    private Object points(PortalSession s) {
        try {
            if (s.walletToken == null) {
                s.walletToken = registry.exchange(config.client().id(), config.client().secret().orElse(""),
                        s.accessToken, "wallet").accessToken();
            }
            return wallet.balance(s.walletToken);
        } catch (ServiceProblem e) {
            s.walletToken = null;
            return new Problem(e.code(), e.detail());
        }
    }

    private TemplateInstance page(Template t, HttpHeaders headers) {
        return t.data("m", messages.of(headers)).data("lang", Messages.language(headers)).data("back", "/me");
    }

    static String masked(String number) {
        return number == null || number.length() < 4 ? "************" : "**** **** " + number.substring(number.length() - 4);
    }

    /** The token's sub, read from the registry's answer we just received (not a trust decision: the key of sessions). */
    static String subjectOf(String jwt) {
        try {
            String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).path("sub").asText(null);
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }

    /** What the record page shows; the number is not kept (only its masked form goes to the page). */
    public record MeView(String familyName, String givenName, String familyNameKana, String givenNameKana,
                         String dateOfBirth, String card, String cardKey, String cardExpiresOn) {
        static MeView of(RegistryApi.Me me) {
            String card = orEmpty(me.card());
            // Said in words: suspended overrides the status it suspends; an unknown status shows as it came.
            String state = Boolean.TRUE.equals(me.cardSuspended()) ? "suspended" : card;
            String key = java.util.Set.of("issued", "active", "suspended", "revoked", "none").contains(state)
                    ? "me.card." + state : null;
            return new MeView(orEmpty(me.familyName()), orEmpty(me.givenName()), orEmpty(me.familyNameKana()),
                    orEmpty(me.givenNameKana()), orEmpty(me.dateOfBirth()), card, key, orEmpty(me.cardExpiresOn()));
        }
    }

    /** One access-log row as the page shows it: when, who (organisation and client), what, why, which data. */
    /** One access-log row as the page shows it: {@code at} is the instant as sent, {@code when} her clock (Japan time). */
    public record AccessRow(String at, String when, String who, String action, String purpose, String fields) {
        private static final java.time.format.DateTimeFormatter JAPAN = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.of("Asia/Tokyo"));

        static AccessRow of(JsonNode r) {
            String organisation = text(r, "organisation");
            String who = text(r, "who");
            String at = text(r, "at");
            return new AccessRow(at, japanTime(at), organisation.isEmpty() ? who : organisation + " (" + who + ")",
                    text(r, "action"), text(r, "purpose"), text(r, "fields"));
        }

        /** The registry's instant (UTC) on her clock; shown as it came if it is not one. */
        static String japanTime(String at) {
            try {
                return JAPAN.format(java.time.OffsetDateTime.parse(at));
            } catch (java.time.format.DateTimeParseException e) {
                return at;
            }
        }
    }

    /** A field the service left out is shown empty. */
    static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString();
    }
}
