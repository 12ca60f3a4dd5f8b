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
 * HTTP. Issuer, audience, expiry and algorithm checks stay smallrye-jwt's.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class LocalKeyJwtFactory extends JWTCallerPrincipalFactory {

    private final SigningKeys keys;
    private final DefaultJWTCallerPrincipalFactory delegate = new DefaultJWTCallerPrincipalFactory();

    public LocalKeyJwtFactory(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo configured) throws ParseException {
        JWTAuthContextInfo info = new JWTAuthContextInfo(configured);
        info.setPublicVerificationKey(keys.publicKey());
        info.setPublicKeyLocation(null);
        info.setPublicKeyContent(null);
        return delegate.parse(token, info);
    }
}
