package org.myna.insurance.eligibility;

import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.myna.insurance.common.Problem;
import org.myna.insurance.registry.RegistryCa;

import java.io.StringReader;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;

/**
 * The offline half of a card check: the card's signature over our nonce, and the certificate's chain to the
 * registry CA. Status (revoked, suspended) is the registry's to say, asked per check.
 */
@ApplicationScoped
public class CardVerifier {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final int MAX_PEM = 8_192;

    private final RegistryCa ca;

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

    /** The card signed exactly this nonce with the key the certificate certifies. */
    public void verifySignature(X509CertificateHolder certificate, byte[] nonce, String signatureBase64Url) {
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(signatureBase64Url == null ? "" : signatureBase64Url.trim());
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("signature", "invalid-signature-encoding", "The signature must be base64url (DER ECDSA).");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA", BC);
            verifier.initVerify(new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(certificate).getPublicKey());
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

    /** Issued by the registry CA; a CA rotation is picked up by fetching the anchor again once. */
    public void verifyChain(X509CertificateHolder certificate) {
        if (signedBy(certificate, ca.certificate())) {
            return;
        }
        if (!ca.freshlyFetched() && signedBy(certificate, ca.refresh())) {
            return;
        }
        throw new Problem(400, "certificate-untrusted", "The certificate was not issued by the registry's CA.");
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
