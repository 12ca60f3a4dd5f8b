package org.myna.registry.auth;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.myna.platform.token.CachingJwtFactory;

/**
 * The registry verifies its own tokens with the key it signs them with, instead of fetching its own JWKS over
 * HTTP. Issuer, audience, expiry and algorithm checks stay smallrye-jwt's; verified tokens are remembered as in every
 * service ({@link CachingJwtFactory}): the RS256 verification was 16 % of the registry's CPU per eligibility check.
 */
@ApplicationScoped
@Alternative
@Priority(2)
public class LocalKeyJwtFactory extends CachingJwtFactory {

    private final SigningKeys keys;

    public LocalKeyJwtFactory(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    protected JWTAuthContextInfo verification(JWTAuthContextInfo configured) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(configured);
        info.setPublicVerificationKey(keys.publicKey());
        info.setPublicKeyLocation(null);
        info.setPublicKeyContent(null);
        return info;
    }
}
