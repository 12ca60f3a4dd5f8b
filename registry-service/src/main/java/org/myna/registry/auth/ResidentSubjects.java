package org.myna.registry.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.problem.Problem;
import org.myna.registry.linkcode.LinkCodeService;

/** The resident behind a resident token of this registry: its subject is their registry link code, never a path. */
@ApplicationScoped
public class ResidentSubjects {

    private final LinkCodeService linkCodes;

    public ResidentSubjects(LinkCodeService linkCodes) {
        this.linkCodes = linkCodes;
    }

    public long residentId(JsonWebToken jwt) {
        return linkCodes.residentFor(OperationTokens.AUDIENCE, jwt.getSubject()).orElseThrow(() ->
                new Problem(401, "unauthorized", "A valid bearer token is required."));
    }
}
