package org.myna.registry.seal;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import org.myna.registry.auth.SigningKeys;
import org.myna.registry.config.RegistryConfig;

import java.util.Map;

/**
 * Signs a certificate's content as a compact JWS (RS256) with the registry's token key, so anyone can check it
 * against /.well-known/jwks.json. It must never pass for an access token: it carries no "aud" and no "groups"
 * (every service of the suite requires its own audience) and its header says typ seal-certificate+jwt.
 */
@ApplicationScoped
class CertificateSigner {

    static final String TYPE = "seal-certificate+jwt";

    private final SigningKeys keys;
    private final RegistryConfig registry;
    private final SealConfig config;

    CertificateSigner(SigningKeys keys, RegistryConfig registry, SealConfig config) {
        this.keys = keys;
        this.registry = registry;
        this.config = config;
    }

    String sign(Map<String, Object> content, long issuedAtEpochSecond) {
        return Jwt.claims(content)
                .issuer(registry.token().issuer())
                .issuedAt(issuedAtEpochSecond)
                .expiresAt(issuedAtEpochSecond + config.certificateLifetime().toSeconds())
                .jws().keyId(keys.keyId()).type(TYPE)
                .sign(keys.privateKey());
    }
}
