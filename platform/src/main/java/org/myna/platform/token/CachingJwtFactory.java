package org.myna.platform.token;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * smallrye-jwt's verification (JWKS key, signature, issuer, audience, expiry), remembered per raw token until its
 * exp (see {@link VerifiedTokens}): a facility or a service presents the same token for minutes, and each RS256
 * verification costs more than the rest of a trivial request. A service that verifies with other keys overrides
 * {@link #verification} in a subclass of higher priority.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class CachingJwtFactory extends JWTCallerPrincipalFactory {

    private final DefaultJWTCallerPrincipalFactory delegate = new DefaultJWTCallerPrincipalFactory();
    private final VerifiedTokens verified = new VerifiedTokens();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo configured) throws ParseException {
        JWTCallerPrincipal known = verified.get(token);
        if (known != null) {
            return known;
        }
        JWTCallerPrincipal principal = delegate.parse(token, verification(configured));
        verified.put(token, principal);
        return principal;
    }

    /** What a token is verified against: the configured JWKS, issuer and audience. */
    protected JWTAuthContextInfo verification(JWTAuthContextInfo configured) {
        return configured;
    }
}
