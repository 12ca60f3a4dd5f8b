package org.myna.registry.cardlogin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.CardRefs;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.auth.Roles;
import org.myna.registry.auth.SigningKeys;
import org.myna.registry.auth.TokenService;
import org.myna.registry.ca.EcCrypto;
import org.myna.registry.ca.Pems;
import org.myna.registry.card.CardCredentials;
import org.myna.registry.card.CardService;
import org.myna.registry.card.CertificateStatus;
import org.myna.registry.config.RegistryConfig;
import org.myna.registry.linkcode.LinkCodeService;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Set;

/**
 * Resident authentication with the card: a single-use nonce, the card's signature over it with the user
 * authentication key, the certificate's chain to our CA and its current status. Every failure is a problem with a
 * precise code and carries neither a token nor a link code.
 */
@ApplicationScoped
public class ResidentAuthService {

    private final ResidentAuthConfig config;
    private final RegistryConfig registry;
    private final SigningKeys keys;
    private final CardCredentials credentials;
    private final LinkCodeService linkCodes;
    private final CardRefs cardRefs;
    private final SecureRandom random = new SecureRandom();

    public ResidentAuthService(ResidentAuthConfig config, RegistryConfig registry, SigningKeys keys,
                               CardCredentials credentials, LinkCodeService linkCodes, CardRefs cardRefs) {
        this.config = config;
        this.registry = registry;
        this.keys = keys;
        this.credentials = credentials;
        this.linkCodes = linkCodes;
        this.cardRefs = cardRefs;
    }

    public record Challenge(String challengeId, String nonce, OffsetDateTime expiresAt) {
    }

    public record Proof(String challengeId, String certificate, String signature, String audience) {
    }

    @Transactional
    public Challenge newChallenge() {
        AuthChallenge challenge = new AuthChallenge();
        challenge.id = random(16);
        challenge.nonce = random(32);
        challenge.createdAt = OffsetDateTime.now();
        challenge.expiresAt = challenge.createdAt.plus(config.challengeLifetime());
        challenge.persist();
        return new Challenge(challenge.id, challenge.nonce, challenge.expiresAt);
    }

    /** A resident token: sub = link code for the audience, groups [resident]. */
    public TokenService.IssuedToken residentToken(Proof proof) {
        CardCredentials.Holder holder = verify(proof);
        return sign(holder, proof.audience(), Roles.RESIDENT, null, config.tokenLifetime().toSeconds());
    }

    /** An operation token: as a resident token, but groups [operation], claim op, a jti, and one minute. */
    public TokenService.IssuedToken operationToken(Proof proof, String operation) {
        if (operation == null || !OperationTokens.OPERATIONS.contains(operation)) {
            throw Problem.invalidField("operation", "invalid-operation", "operation must be one of " + OperationTokens.OPERATIONS + ".");
        }
        CardCredentials.Holder holder = verify(proof);
        return sign(holder, proof.audience(), OperationTokens.GROUP, operation, config.operationTokenLifetime().toSeconds());
    }

    private CardCredentials.Holder verify(Proof proof) {
        if (proof.audience() == null || !LinkCodeService.AUDIENCES.contains(proof.audience())) {
            throw Problem.invalidField("audience", "invalid-audience", "audience must be registry, wallet or insurance.");
        }
        if (proof.certificate() == null || proof.signature() == null || proof.challengeId() == null) {
            throw Problem.badRequest("invalid-request", "challengeId, certificate and signature are required.");
        }
        byte[] signature = CardService.decode(proof.signature(), "signature");
        X509Certificate certificate = Pems.parseCertificate(proof.certificate()).orElseThrow(() ->
                Problem.invalidField("certificate", "certificate-malformed", "certificate must be one PEM X.509 certificate."));
        // The challenge is spent by this attempt whatever its outcome: one nonce, one try.
        byte[] nonce = consumeChallenge(proof.challengeId());
        return verifyCard(certificate, signature, nonce);
    }

    /** The holder of a good authentication certificate whose key signed these nonce bytes; else 401 with the reason. */
    CardCredentials.Holder verifyCard(X509Certificate certificate, byte[] signature, byte[] nonce) {
        CardCredentials.Holder holder = credentials.holderOf(certificate).orElseThrow(() ->
                new Problem(401, "certificate-untrusted", "The certificate was not issued by this registry's CA."));
        if (!EcCrypto.verifies(certificate.getPublicKey(), nonce, signature)) {
            throw new Problem(401, "signature-invalid", "The signature does not verify over this challenge with this certificate.");
        }
        CertificateStatus status = holder.status();
        if (!org.myna.registry.card.CardCertificate.AUTHENTICATION.equals(status.type())) {
            throw new Problem(401, "certificate-untrusted", "Only the card's authentication certificate can log in.");
        }
        switch (status.status()) {
            case CertificateStatus.GOOD -> {
                return holder;
            }
            case CertificateStatus.REVOKED -> throw new Problem(401, "certificate-revoked", "The certificate is revoked.");
            case CertificateStatus.EXPIRED -> throw new Problem(401, "certificate-expired", "The certificate has expired.");
            case CertificateStatus.SUSPENDED -> throw "card-not-activated".equals(status.reason())
                    ? new Problem(401, "card-not-active", "The card has not been activated.")
                    : new Problem(401, "card-suspended", "The holder has suspended this card's authentication.");
            default -> throw new Problem(401, "certificate-untrusted", "The certificate is not known to this registry.");
        }
    }

    private byte[] consumeChallenge(String challengeId) {
        if (challengeId.length() > 32) {
            throw new Problem(401, "challenge-unknown", "No such challenge.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        String nonce = QuarkusTransaction.requiringNew().call(() -> {
            int taken = AuthChallenge.update("usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, challengeId);
            AuthChallenge challenge = AuthChallenge.findById(challengeId);
            if (challenge == null) {
                throw new Problem(401, "challenge-unknown", "No such challenge.");
            }
            if (taken == 1) {
                return challenge.nonce;
            }
            if (challenge.usedAt != null) {
                throw new Problem(401, "challenge-used", "This challenge has already been used; ask for a new one.");
            }
            throw new Problem(401, "challenge-expired", "This challenge has expired; ask for a new one.");
        });
        return Base64.getUrlDecoder().decode(nonce);
    }

    /** The token names the card it was made with, so that every later request can be refused once that card is not. */
    TokenService.IssuedToken sign(CardCredentials.Holder holder, String audience, String group, String operation, long lifetime) {
        String subject = linkCodes.codeFor(holder.residentId(), audience);
        JwtClaimsBuilder claims = Jwt.issuer(registry.token().issuer())
                .subject(subject)
                .audience(Set.of(audience))
                .groups(Set.of(group))
                .claim("jti", random(16))
                .claim(CardRefs.CLAIM, cardRefs.forAudience(audience, holder.status().serial()))
                .expiresIn(lifetime);
        if (operation != null) {
            claims.claim("op", operation);
        }
        return new TokenService.IssuedToken(claims.jws().keyId(keys.keyId()).sign(keys.privateKey()), lifetime);
    }

    String random(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
