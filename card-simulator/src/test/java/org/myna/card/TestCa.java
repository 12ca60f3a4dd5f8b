package org.myna.card;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A throw-away certificate authority for tests, built with BouncyCastle. */
public final class TestCa {
    private static long serial = 1000;
    private final KeyPair caKeys = newKeyPair();
    private final X500Name caName = new X500Name("CN=Test CA,O=myna tests");

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate for any public key, with any subject. */
    public String issue(String subject, PublicKey subjectKey) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(serial++),
                    Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name(subject), subjectKey);
            return Pem.write(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate for a fresh key pair: a key no card generated. */
    public static String selfSigned(String subject) {
        try {
            KeyPair keys = newKeyPair();
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(new X500Name(subject), BigInteger.ONE,
                    Date.from(now), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
            return Pem.write(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a CSR, checks its proof of possession, and returns it. */
    public static JcaPKCS10CertificationRequest verifiedCsr(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            var csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
                throw new AssertionError("CSR signature (proof of possession) does not verify");
            }
            return csr;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Issues a certificate for the key in a verified CSR. */
    public String issueFor(String csrPem) {
        try {
            var csr = verifiedCsr(csrPem);
            return issue(csr.getSubject().toString(), csr.getPublicKey());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
