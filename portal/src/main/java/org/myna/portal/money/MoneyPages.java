package org.myna.portal.money;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.myna.portal.resident.ResidentGuard;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalConfig;
import org.myna.portal.web.PortalSession;
import org.myna.portal.web.SessionStore;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the money pages share: the resident's session (logged in, or sent to /me), the page's words, a refusal said in
 * words with its code, the end of a login the registry no longer accepts, her wallet token (RFC 8693, no second card
 * signature) and the start of an act her card must approve.
 */
@ApplicationScoped
public class MoneyPages {

    static final URI HOME = URI.create("/me");
    static final URI ACT = URI.create("/me/acts");
    /** A campaign id as the wallet spells it; blank means the wallet's default campaign. */
    static final Pattern CAMPAIGN = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** What a money page shows after a redirect: a success, or a refusal with the values she had typed. */
    record Outcome(Notice notice, Said problem, Map<String, String> values) {
    }

    private final SessionStore sessions;
    private final Messages messages;
    private final RegistryClient registry;
    private final PortalConfig config;
    private final org.myna.portal.services.WalletClient wallet;
    private final Template login;
    private final ResidentGuard guard;

    public MoneyPages(SessionStore sessions, Messages messages, RegistryClient registry, PortalConfig config,
                      org.myna.portal.services.WalletClient wallet, @Location("me/login.html") Template login,
                      ResidentGuard guard) {
        this.guard = guard;
        this.sessions = sessions;
        this.messages = messages;
        this.registry = registry;
        this.config = config;
        this.wallet = wallet;
        this.login = login;
    }

    /**
     * Her session, its card confirmed at the registry within the guard's recheck period (the wallet's view of the card
     * trails the registry's feed); empty when nobody is logged in. A card revoked meanwhile ends the session.
     */
    Optional<PortalSession> loggedIn(HttpHeaders headers) {
        return guard.loggedIn(headers).map(s -> guard.require(headers));
    }

    TemplateInstance page(Template t, HttpHeaders headers, String path) {
        return t.data("m", messages.of(headers)).data("lang", Messages.language(headers)).data("back", path);
    }

    /** The refusal in words: this feature's sentence for the code, else the portal's, else a general one. */
    Said said(HttpHeaders headers, String code, String detail) {
        Map<String, String> m = messages.of(headers);
        String key = "money.problem." + code;
        if (m.get(key).equals(key)) {
            key = "problem." + code;
            if (m.get(key).equals(key)) {
                key = "money.problem.other";
            }
        }
        return new Said(key, code, detail);
    }

    String words(HttpHeaders headers, String key) {
        return messages.of(headers).get(key);
    }

    /** Whether the registry's refusal means the login is over (card revoked or suspended, token dead). */
    static boolean endsLogin(ServiceProblem e) {
        return ResidentGuard.ENDED.contains(e.code()) || e.status() == 401;
    }

    /** The login is over: the session ends and the login page says why, with the code. */
    Response ended(HttpHeaders headers, PortalSession s, ServiceProblem e) {
        sessions.end(s);
        return Response.ok(page(login, headers, "/me").data("problem", said(headers, e.code(), e.detail())))
                .cookie(sessions.clearing(PortalSession.Kind.RESIDENT)).build();
    }

    /** Her wallet token by token exchange at the registry, kept in the session for as long as her login. */
    String walletToken(PortalSession s) {
        String t = s.walletToken;
        if (t == null) {
            t = registry.exchange(config.client().id(), config.client().secret().orElse(""), s.accessToken, "wallet")
                    .accessToken();
            s.walletToken = t;
        }
        return t;
    }

    /**
     * Asks the registry for an act of hers that her card must approve, keeps it in the session (replacing one she
     * left unfinished) and sends the browser to the page that shows it; the values stay on the server.
     */
    Response startAct(HttpHeaders headers, PortalSession s, PendingAct.Kind kind, String detail, Map<String, String> values) {
        RegistryClient.DeviceLogin d;
        try {
            d = registry.startAct(config.client().id(), config.client().secret().orElse(""), kind.operation, detail,
                    s.accessToken);
        } catch (ServiceProblem e) {
            if ("invalid_grant".equals(e.code())) { // her login is not accepted any more (card, expiry)
                return ended(headers, s, e);
            }
            s.flash = new Outcome(null, said(headers, e.code(), e.detail()), values);
            return Response.seeOther(URI.create(kind.page)).build();
        }
        Instant now = Instant.now();
        s.act = new PendingAct(kind, detail, values, now, d.deviceCode(), d.userCode(), now.plusSeconds(d.expiresIn()),
                Math.max(1, d.interval()));
        return Response.seeOther(ACT).build();
    }

    /** The outcome left for this page by the act or the form, taken once; anything else stays for its own page. */
    static Outcome outcome(PortalSession s) {
        Object f = s.flash;
        if (f instanceof Outcome o) {
            s.flash = null;
            return o;
        }
        return null;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** An account number as the pages show it: only its last three digits. */
    static String maskedAccount(String number) {
        return number == null || number.length() < 3 ? "*******" : "*".repeat(number.length() - 3) + number.substring(number.length() - 3);
    }
}
