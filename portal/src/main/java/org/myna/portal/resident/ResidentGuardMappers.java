package org.myna.portal.resident;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalSession;
import org.myna.portal.web.SessionStore;

import java.net.URI;
import java.util.Map;

/** What the browser gets when {@link ResidentGuard} stops a page: the login page, the reason in words, or "retry". */
public class ResidentGuardMappers {

    private final Messages messages;
    private final SessionStore sessions;
    private final Template login;
    private final Template retry;

    public ResidentGuardMappers(Messages messages, SessionStore sessions, @Location("me/login.html") Template login,
                                @Location("me/retry.html") Template retry) {
        this.messages = messages;
        this.sessions = sessions;
        this.login = login;
        this.retry = retry;
    }

    @ServerExceptionMapper
    public Response notLoggedIn(ResidentGuard.NotLoggedIn e) {
        return Response.seeOther(URI.create("/me")).build();
    }

    /** Her login is over (card revoked or suspended anywhere, token dead): the login page says why, with the code. */
    @ServerExceptionMapper
    public Response ended(ResidentGuard.SessionEnded e, HttpHeaders headers) {
        Map<String, String> words = messages.of(headers);
        return Response.ok(login.data("m", words).data("lang", Messages.language(headers)).data("back", "/me")
                        .data("problem", PageProblem.of(words, e.code, e.detail)))
                .cookie(sessions.clearing(PortalSession.Kind.RESIDENT)).build();
    }

    /** The registry could not say whether her card is still good: no page without that answer; retry. */
    @ServerExceptionMapper
    public Response unconfirmed(ResidentGuard.Unconfirmed e, HttpHeaders headers) {
        Map<String, String> words = messages.of(headers);
        return Response.status(503).header("Retry-After", "5")
                .entity(retry.data("m", words).data("lang", Messages.language(headers)).data("back", "/me")
                        .data("problem", new PageProblem(e.code, null, "care.problem.registry-unavailable"))).build();
    }
}
