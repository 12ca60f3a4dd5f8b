package org.myna.registry.ca;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.myna.platform.hash.Sha256;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** PEM reading and writing; readers return empty for anything that is not exactly the expected object. */
public final class Pems {

    /** Generous for an EC certificate or CSR; refuses megabytes of PEM before parsing. */
    static final int MAX_PEM = 16_000;

    private Pems() {
    }

    public static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static Optional<X509Certificate> parseCertificate(String pem) {
        Object object = single(pem);
        if (object instanceof X509CertificateHolder holder) {
            try {
                return Optional.of(new JcaX509CertificateConverter().getCertificate(holder));
            } catch (CertificateException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public static Optional<PKCS10CertificationRequest> parseCsr(String pem) {
        return single(pem) instanceof PKCS10CertificationRequest csr ? Optional.of(csr) : Optional.empty();
    }

    private static Object single(String pem) {
        if (pem == null || pem.length() > MAX_PEM) {
            return null;
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            return parser.readObject() == null ? object : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static X509Certificate readCertificate(String pem) {
        return parseCertificate(pem).orElseThrow(() -> new IllegalStateException("not a PEM certificate"));
    }

    static PrivateKey readPrivateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
            }
            throw new IllegalStateException("not an unencrypted PEM private key");
        }
    }

    /** SHA-256 of the SubjectPublicKeyInfo, lowercase hex: how the registry recognises a key it certified. */
    public static String keyHash(PublicKey key) {
        return keyHash(key.getEncoded());
    }

    public static String keyHash(byte[] subjectPublicKeyInfo) {
        return Sha256.hex(subjectPublicKeyInfo);
    }
}
