package org.myna.insurance.eligibility;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.myna.insurance.registry.RegistryCa;
import org.myna.platform.hash.Sha256;
import org.myna.platform.problem.Problem;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;

/**
 * The offline half of a card check: the card's signature over our nonce, and the certificate's chain to the
 * registry CA. Status (revoked, suspended) is the registry's to say: from the card replica its events feed while that
 * is within its bound, asked per check otherwise (EligibilityService).
 *
 * <p>A successful chain check is remembered per certificate (SHA-256 of its exact DER bytes) together with the CA
 * certificate it chained to and the certified public key: the same bytes under the same anchor always verify the
 * same way, so only the first check of a card pays the CA's ECDSA verification. A hit counts only while that
 * anchor is still the current one (a CA rotation re-verifies), failures are never remembered, and nothing about
 * the card's status is: revoked, suspended and expired are asked of the registry / read from the certificate on
 * every check, and the card's signature over the nonce is verified every time.
 */
@ApplicationScoped
public class CardVerifier {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final int MAX_PEM = 8_192;
    /** Bounded: ~0.5 KB per entry; a card is seen again at its next visit, a miss costs one ECDSA verification. */
    static final long MAX_TRUSTED = 100_000;

    /** A certificate that chained to {@code anchor}, and the key it certifies. */
    record Trusted(X509Certificate anchor, PublicKey key) {
    }

    private final RegistryCa ca;
    private final Cache<String, Trusted> trusted = Caffeine.newBuilder().maximumSize(MAX_TRUSTED).build();

    public CardVerifier(RegistryCa ca) {
        this.ca = ca;
    }

    public X509CertificateHolder parse(String pem) {
        if (pem == null || pem.isBlank() || pem.length() > MAX_PEM) {
            throw Problem.invalidField("certificate", "invalid-certificate", "The certificate must be one PEM X.509 certificate.");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object instanceof X509CertificateHolder holder) {
                return holder;
            }
        } catch (Exception e) {
            // falls through to the problem below
        }
        throw Problem.invalidField("certificate", "invalid-certificate", "The certificate must be one PEM X.509 certificate.");
    }

    /** The card signed exactly this nonce with the key the certificate certifies (verified on every call). */
    public void verifySignature(PublicKey key, byte[] nonce, String signatureBase64Url) {
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(signatureBase64Url == null ? "" : signatureBase64Url.trim());
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("signature", "invalid-signature-encoding", "The signature must be base64url (DER ECDSA).");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA", BC);
            verifier.initVerify(key);
            verifier.update(nonce);
            valid = signature.length > 0 && verifier.verify(signature);
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw new Problem(400, "signature-invalid",
                    "The signature does not verify over this challenge's nonce with the certificate's key.");
        }
    }

    /**
     * Issued by the registry CA (a CA rotation is picked up by fetching the anchor again once); answers the key the
     * certificate certifies. Remembered per certificate after success, see the class comment.
     */
    public PublicKey verifyChain(X509CertificateHolder certificate) {
        String digest = digest(certificate);
        Trusted known = digest == null ? null : trusted.getIfPresent(digest);
        X509Certificate anchor = ca.certificate();
        if (known != null && known.anchor().equals(anchor)) {
            return known.key();
        }
        if (!signedBy(certificate, anchor)) {
            anchor = null;
            if (!ca.freshlyFetched()) {
                X509Certificate refreshed = ca.refresh();
                if (signedBy(certificate, refreshed)) {
                    anchor = refreshed;
                }
            }
        }
        if (anchor == null) {
            throw new Problem(400, "certificate-untrusted", "The certificate was not issued by the registry's CA.");
        }
        PublicKey key = publicKey(certificate);
        if (digest != null) {
            trusted.put(digest, new Trusted(anchor, key));
        }
        return key;
    }

    /** How many certificates are remembered as chaining to the CA (for tests and metrics). */
    long trustedCount() {
        trusted.cleanUp();
        return trusted.estimatedSize();
    }

    private static PublicKey publicKey(X509CertificateHolder certificate) {
        try {
            return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(certificate).getPublicKey();
        } catch (Exception e) {
            throw new Problem(400, "certificate-untrusted", "The certificate's key cannot be read.");
        }
    }

    /** SHA-256 (hex) of the certificate's DER: how the card replica and the registry's card events name a card. */
    public String fingerprint(X509CertificateHolder certificate) {
        return digest(certificate);
    }

    private static String digest(X509CertificateHolder certificate) {
        try {
            return Sha256.hex(certificate.getEncoded());
        } catch (IOException e) {
            return null;
        }
    }

    public boolean expired(X509CertificateHolder certificate) {
        return certificate.getNotAfter().before(new Date());
    }

    public boolean notYetValid(X509CertificateHolder certificate) {
        return certificate.getNotBefore().after(new Date());
    }

    private static boolean signedBy(X509CertificateHolder certificate, X509Certificate issuer) {
        try {
            return certificate.getIssuer().equals(new X509CertificateHolder(issuer.getEncoded()).getSubject())
                    && certificate.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(issuer));
        } catch (Exception e) {
            return false;
        }
    }
}
