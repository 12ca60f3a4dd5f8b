package org.myna.card;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM reading and writing. Only BouncyCastle's ASN.1/PEM code is used; the crypto runs on the JDK providers. */
final class Pem {
    private Pem() {
    }

    static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Exactly one PEM object, else null. */
    private static Object readSingle(String pem) throws IOException {
        if (pem == null) {
            return null;
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object first = parser.readObject();
            return parser.readObject() == null ? first : null;
        }
    }

    static PublicKey readPublicKey(String pem) {
        try {
            if (readSingle(pem) instanceof SubjectPublicKeyInfo info) {
                return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CardException("card-file", "unreadable public key: " + e.getMessage(), e);
        }
        throw new CardException("card-file", "public key PEM expected");
    }

    static X509Certificate readCertificate(String pem, String code) {
        try {
            if (readSingle(pem) instanceof X509CertificateHolder holder) {
                return new JcaX509CertificateConverter().getCertificate(holder);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CardException(code, "unreadable certificate: " + e.getMessage(), e);
        }
        throw new CardException(code, "a single PEM certificate (-----BEGIN CERTIFICATE-----) expected");
    }
}
