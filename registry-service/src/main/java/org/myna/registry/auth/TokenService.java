package org.myna.registry.auth;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.problem.Problem;
import org.myna.registry.config.RegistryConfig;

import java.util.HashSet;
import java.util.Set;

@ApplicationScoped
public class TokenService {

    /** Organisation tokens are accepted by every service of the suite. */
    public static final Set<String> ALL_AUDIENCES = Set.of("registry", "wallet", "insurance");

    private final SigningKeys keys;
    private final RegistryConfig config;

    public TokenService(SigningKeys keys, RegistryConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public record IssuedToken(String accessToken, long expiresIn) {
    }

    /** OAuth2 client credentials. Unknown client and wrong secret answer alike, after the same bcrypt work. */
    @Transactional
    public IssuedToken clientCredentials(String clientId, String secret) {
        OAuthClient client = authenticate(clientId, secret);
        return sign(client.clientId, ALL_AUDIENCES, new HashSet<>(client.roleList()));
    }

    /** The client these credentials prove, or 401 invalid-client (unknown and wrong secret alike). */
    @Transactional
    public OAuthClient authenticate(String clientId, String secret) {
        OAuthClient client = clientId == null ? null : OAuthClient.findById(clientId);
        String hash = client == null ? SecretHasher.DUMMY_HASH : client.secretHash;
        boolean ok = SecretHasher.matches(secret == null ? "" : secret, hash);
        if (client == null || !ok) {
            throw new Problem(401, "invalid-client", "Client authentication failed.");
        }
        return client;
    }

    public IssuedToken sign(String subject, Set<String> audiences, Set<String> groups) {
        long lifetime = config.token().lifetime().toSeconds();
        String token = Jwt.issuer(config.token().issuer())
                .subject(subject)
                .audience(audiences)
                .groups(groups)
                .expiresIn(lifetime)
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
        return new IssuedToken(token, lifetime);
    }
}
