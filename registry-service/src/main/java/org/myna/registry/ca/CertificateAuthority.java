package org.myna.registry.ca;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The registry's card CA: signs the certificates of every card and is the one trust anchor the suite checks
 * card certificates against. Key and certificate come from files; only the demo profiles may create them.
 */
@Startup
@ApplicationScoped
public class CertificateAuthority {

    private static final Logger LOG = Logger.getLogger(CertificateAuthority.class);
    static final String SIGNATURE_ALGORITHM = EcCrypto.SIGNATURE_ALGORITHM;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String pem;
    private final SecureRandom random = new SecureRandom();
    /**
     * SHA-256 of the exact DER of certificates this CA's signature was verified on. The CA key is fixed for the
     * life of the process, so the same bytes verify the same way; failures are never remembered and nothing about
     * status (revocation, suspension, expiry) is: that is read from the database on every use.
     */
    private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(100_000).build();

    public CertificateAuthority(CaConfig config) {
        Path keyFile = Path.of(config.keyFile());
        Path certFile = Path.of(config.certFile());
        try {
            if (!Files.exists(keyFile) || !Files.exists(certFile)) {
                if (!config.generateIfMissing()) {
                    throw new IllegalStateException("CA key or certificate is missing (registry.ca.key-file, registry.ca.cert-file)");
                }
                generate(keyFile, certFile, config.subject());
            }
            this.privateKey = Pems.readPrivateKey(Files.readString(keyFile));
            this.certificate = Pems.readCertificate(Files.readString(certFile));
            this.pem = Pems.write(certificate);
            checkPair();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkPair() throws GeneralSecurityException {
        java.security.Signature signer = java.security.Signature.getInstance(SIGNATURE_ALGORITHM);
        signer.initSign(privateKey);
        signer.update(new byte[]{1});
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(SIGNATURE_ALGORITHM);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[]{1});
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("the CA key does not match the CA certificate");
        }
    }

    private static void generate(Path keyFile, Path certFile, String subject)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name(subject);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()).setBit(126),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365L * 30))), name, pair.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(pair.getPrivate()));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);

        StringWriter keyPem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(keyPem)) {
            writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        // Key first: a crash between the two writes leaves a key without certificate, which the next start replaces.
        atomicWrite(keyFile, keyPem.toString());
        atomicWrite(certFile, Pems.write(cert));
        LOG.infof("generated a demo card CA at %s", certFile);
    }

    private static void atomicWrite(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "ca", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return pem;
    }

    /** A fresh serial: 127 random bits, positive, never starting with a zero byte issue in DER. */
    public BigInteger newSerial() {
        return new BigInteger(127, random).setBit(126);
    }

    /** Signs a certificate prepared by the caller (issuer, serial, validity, subject, extensions). */
    public X509Certificate sign(X509v3CertificateBuilder builder) {
        try {
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(EcCrypto.PROVIDER).build(privateKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /**
     * True only if this CA signed the certificate (issuer name and signature); validity and status are not checked.
     * A success is remembered per certificate (see {@code verified}).
     */
    public boolean issued(X509Certificate candidate) {
        if (!candidate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        String digest;
        try {
            digest = Pems.keyHash(candidate.getEncoded());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        if (verified.getIfPresent(digest) != null) {
            return true;
        }
        try {
            candidate.verify(certificate.getPublicKey(), EcCrypto.PROVIDER);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        verified.put(digest, Boolean.TRUE);
        return true;
    }

    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }
}
