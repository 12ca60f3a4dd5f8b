package org.myna.portal.resident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.PortalSession;
import org.myna.portal.web.SessionStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The one gate of every logged-in resident page. A card revoked or suspended anywhere (a clerk at the registry, the
 * resident at another portal replica) ends the session at her next request: the registry is asked about the card at
 * most every {@code portal.session.card-recheck} (default 5 s), on every page, including pages that only call the
 * wallet or the insurance service, whose own view of the card trails the registry's event feed by up to its bound.
 * A page that calls the registry with her token anyway counts as a check ({@link #confirmed}).
 */
@ApplicationScoped
public class ResidentGuard {

    /** The registry's refusals that mean "this login is over": the card is unusable now, or the token died. */
    public static final Set<String> ENDED = Set.of("card-revoked", "card-suspended", "card-expired", "card-unknown",
            "certificate-revoked", "token-revoked", "http-401", "unauthorized", "invalid-token", "invalid_token");

    /** No session (or one not yet approved): the page sends the browser to the login page. */
    public static final class NotLoggedIn extends RuntimeException {
        NotLoggedIn() {
            super("not logged in", null, false, false);
        }
    }

    /** The registry said the card or token is finished: every session of this resident has ended. */
    public static final class SessionEnded extends RuntimeException {
        final String code;
        final String detail;

        SessionEnded(String code, String detail) {
            super(code, null, false, false);
            this.code = code;
            this.detail = detail;
        }
    }

    /** The registry could not be asked: the page says "retry" with the code, and the session stays (no verdict). */
    public static final class Unconfirmed extends RuntimeException {
        final String code;

        Unconfirmed(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }

    private final SessionStore sessions;
    private final RegistryClient registry;
    private final Duration recheck;
    private final Clock clock;

    @jakarta.inject.Inject
    public ResidentGuard(SessionStore sessions, RegistryClient registry, org.myna.portal.web.PortalConfig config) {
        this(sessions, registry, config.session().cardRecheck(), Clock.systemUTC());
    }

    ResidentGuard(SessionStore sessions, RegistryClient registry, Duration recheck, Clock clock) {
        this.sessions = sessions;
        this.registry = registry;
        this.recheck = recheck;
        this.clock = clock;
    }

    /** The logged-in session, its card confirmed good at the registry within the recheck period; else it throws. */
    public PortalSession require(HttpHeaders headers) {
        PortalSession s = loggedIn(headers).orElseThrow(NotLoggedIn::new);
        if (due(s.cardCheckedAt, clock.instant())) {
            try {
                registry.me(s.accessToken);
            } catch (ServiceProblem e) {
                throw meRefused(s, e);
            }
            confirmed(s);
        }
        return s;
    }

    public static NotLoggedIn notLoggedIn() {
        return new NotLoggedIn();
    }

    /** The logged-in session without asking the registry: for pages whose own registry call is the check. */
    public Optional<PortalSession> loggedIn(HttpHeaders headers) {
        return sessions.find(headers, PortalSession.Kind.RESIDENT).filter(s -> s.accessToken != null);
    }

    /** A registry call with her token just succeeded: her card was good at that moment. */
    public void confirmed(PortalSession s) {
        s.cardCheckedAt = clock.instant();
    }

    /**
     * What a refusal of her token means: an ended login ends every session of this resident at this portal (another
     * replica's end at their next request, by their own check); anything else is a page-level problem.
     */
    public RuntimeException refused(PortalSession s, ServiceProblem e) {
        if (ENDED.contains(e.code()) || e.status() == 401) {
            return ended(s, e);
        }
        if (e.status() >= 500) {
            return new Unconfirmed(e.code());
        }
        return e;
    }

    /**
     * The registry did not answer {@code /api/me} with her record: her login ended, or there is no verdict on her card
     * (503, 429, 403, ...), which is "retry", never a 500 and never a logout.
     */
    public RuntimeException meRefused(PortalSession s, ServiceProblem e) {
        RuntimeException outcome = refused(s, e);
        return outcome instanceof ServiceProblem ? new Unconfirmed(e.code()) : outcome;
    }

    /** Her login is over whatever the code says (e.g. the registry refused her token in an exchange): ends it everywhere. */
    public SessionEnded ended(PortalSession s, ServiceProblem e) {
        end(s);
        return new SessionEnded(e.code(), e.detail());
    }

    /** Ends this session and every other session of the same resident (same pairwise subject) here. */
    public void end(PortalSession s) {
        sessions.end(s);
        String subject = s.subject;
        if (subject != null) {
            sessions.endWhere(other -> other.kind == PortalSession.Kind.RESIDENT && subject.equals(other.subject));
        }
    }

    boolean due(Instant lastChecked, Instant now) {
        return lastChecked == null || !now.isBefore(lastChecked.plus(recheck));
    }
}
