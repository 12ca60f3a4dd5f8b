package org.myna.portal.money;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.myna.portal.resident.PageProblem;
import org.myna.portal.resident.ResidentGuard;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalConfig;
import org.myna.portal.web.PortalSession;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the money pages share: the resident's session (logged in, or sent to /me), the page's words, a refusal said in
 * words with its code, the end of a login the registry no longer accepts (through {@link ResidentGuard}), her wallet
 * token (RFC 8693, no second card signature) and the start of an act her card must approve.
 */
@ApplicationScoped
public class MoneyPages {

    static final URI HOME = URI.create("/me");
    static final URI ACT = URI.create("/me/acts");
    /** A campaign id as the wallet spells it; blank means the wallet's default campaign. */
    static final Pattern CAMPAIGN = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** What a money page shows after a redirect: a success, or a refusal with the values she had typed. */
    record Outcome(Notice notice, PageProblem problem, Map<String, String> values) {
    }

    private final Messages messages;
    private final RegistryClient registry;
    private final PortalConfig config;
    private final ResidentGuard guard;

    public MoneyPages(Messages messages, RegistryClient registry, PortalConfig config, ResidentGuard guard) {
        this.guard = guard;
        this.messages = messages;
        this.registry = registry;
        this.config = config;
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
    PageProblem said(HttpHeaders headers, String code, String detail) {
        return PageProblem.of(messages.of(headers), "money", "money.problem.other", code, detail);
    }

    String words(HttpHeaders headers, String key) {
        return messages.of(headers).get(key);
    }

    /**
     * What a service's refusal of her token means ({@link ResidentGuard#refused}): a login the registry no longer
     * accepts ends every session of hers, and the login page says why; anything else is for the page to say.
     */
    void endIfOver(PortalSession s, ServiceProblem e) {
        if ("invalid_grant".equals(e.code())) { // the registry's token exchange: her login is not accepted any more
            throw guard.ended(s, e);
        }
        if (guard.refused(s, e) instanceof ResidentGuard.SessionEnded ended) {
            throw ended;
        }
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
            endIfOver(s, e);
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
