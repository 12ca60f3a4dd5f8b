package org.myna.registry.auth;

import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, as the access log records it: the token's subject and the role it acted in. */
@RequestScoped
public class Caller {

    private final JsonWebToken jwt;

    public Caller(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public String id() {
        return jwt.getSubject() == null ? "anonymous" : jwt.getSubject();
    }

    public String role() {
        return jwt.getGroups() == null || jwt.getGroups().isEmpty() ? "none" : String.join(" ", jwt.getGroups());
    }
}
