package org.myna.insurance.registry;

import jakarta.enterprise.context.ApplicationScoped;
import org.myna.insurance.config.InsuranceConfig;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The registry's CA certificate, our trust anchor for card certificates. Caching it is safe (it changes only by
 * a planned rotation); what a card's certificate is worth right now is always asked, never cached.
 */
@ApplicationScoped
public class RegistryCa {

    private final RegistryClient registry;
    private final InsuranceConfig config;
    private volatile X509Certificate ca;
    private volatile Instant fetchedAt = Instant.EPOCH;

    RegistryCa(RegistryClient registry, InsuranceConfig config) {
        this.registry = registry;
        this.config = config;
    }

    public X509Certificate certificate() {
        X509Certificate current = ca;
        if (current == null || Instant.now().isAfter(fetchedAt.plus(config.registry().caCacheTtl()))) {
            current = refresh();
        }
        return current;
    }

    /** Fetches again, e.g. when a certificate does not chain to the cached CA and the CA may have rotated. */
    public synchronized X509Certificate refresh() {
        String pem = registry.caPem();
        try {
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            ca = parsed;
            fetchedAt = Instant.now();
            return parsed;
        } catch (Exception e) {
            throw RegistryClient.unavailable();
        }
    }

    /** Seconds since the last fetch; a refresh on mismatch is only worth it when the cache is not brand new. */
    public boolean freshlyFetched() {
        return Instant.now().isBefore(fetchedAt.plusSeconds(60));
    }
}
