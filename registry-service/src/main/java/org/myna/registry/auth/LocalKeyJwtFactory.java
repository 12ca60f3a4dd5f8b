package org.myna.registry.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The registry verifies its own tokens with the key it signs them with, instead of fetching its own JWKS over
 * HTTP. Issuer, audience, expiry and algorithm checks stay smallrye-jwt's. A verified token is remembered per raw
 * token until its exp ({@link VerifiedTokens}): services call with the same token for minutes, and the RS256
 * verification was 16 % of the registry's CPU per eligibility check.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class LocalKeyJwtFactory extends JWTCallerPrincipalFactory {

    private final SigningKeys keys;
    private final DefaultJWTCallerPrincipalFactory delegate = new DefaultJWTCallerPrincipalFactory();
    private final VerifiedTokens verified = new VerifiedTokens();

    public LocalKeyJwtFactory(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo configured) throws ParseException {
        JWTCallerPrincipal known = verified.get(token);
        if (known != null) {
            return known;
        }
        JWTAuthContextInfo info = new JWTAuthContextInfo(configured);
        info.setPublicVerificationKey(keys.publicKey());
        info.setPublicKeyLocation(null);
        info.setPublicKeyContent(null);
        JWTCallerPrincipal principal = delegate.parse(token, info);
        verified.put(token, principal);
        return principal;
    }
}
