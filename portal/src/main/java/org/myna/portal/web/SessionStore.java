package org.myna.portal.web;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions in memory. A session is bound to the page it was made for: the clinic's cookie is sent
 * only to /clinic, the resident's only to /me, and a clinic session is never accepted where a resident's is
 * expected. Idle and absolute lifetimes are short (PortalConfig); logging out removes the session here, so a copied
 * cookie is worth nothing afterwards.
 */
@ApplicationScoped
public class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();
    private final PortalConfig config;
    private final Clock clock = Clock.systemUTC();

    public SessionStore(PortalConfig config) {
        this.config = config;
    }

    public static String cookieName(PortalSession.Kind kind) {
        return kind == PortalSession.Kind.CLINIC ? "clinic-session" : "portal-session";
    }

    public static String cookiePath(PortalSession.Kind kind) {
        return kind == PortalSession.Kind.CLINIC ? "/clinic" : "/me";
    }

    public PortalSession create(PortalSession.Kind kind) {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        PortalSession session = new PortalSession(Base64.getUrlEncoder().withoutPadding().encodeToString(id), kind,
                clock.instant());
        sessions.put(session.id, session);
        return session;
    }

    /** The live session of this kind named by the request's cookie, touched; empty when absent or expired. */
    public Optional<PortalSession> find(HttpHeaders headers, PortalSession.Kind kind) {
        Cookie cookie = headers.getCookies().get(cookieName(kind));
        if (cookie == null) {
            return Optional.empty();
        }
        PortalSession session = sessions.get(cookie.getValue());
        Instant now = clock.instant();
        if (session == null || session.kind != kind || expired(session, now)) {
            if (session != null) {
                sessions.remove(session.id);
            }
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    public void end(PortalSession session) {
        sessions.remove(session.id);
    }

    /** Ends every session of a kind that holds this token subject's login (card revoked or suspended). */
    public void endWhere(java.util.function.Predicate<PortalSession> which) {
        sessions.values().removeIf(which);
    }

    private boolean expired(PortalSession s, Instant now) {
        return now.isAfter(s.lastSeen.plus(config.session().idle()))
                || now.isAfter(s.createdAt.plus(config.session().max()))
                || s.tokenExpiresAt != null && now.isAfter(s.tokenExpiresAt);
    }

    @Scheduled(every = "60s")
    void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    public NewCookie cookie(PortalSession session) {
        return base(session.kind).value(session.id).build();
    }

    public NewCookie clearing(PortalSession.Kind kind) {
        return base(kind).value("").maxAge(0).build();
    }

    private NewCookie.Builder base(PortalSession.Kind kind) {
        return new NewCookie.Builder(cookieName(kind))
                .path(cookiePath(kind))
                .httpOnly(true)
                .secure(config.session().secureCookies())
                .sameSite(NewCookie.SameSite.STRICT);
    }
}
