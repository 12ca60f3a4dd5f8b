package org.myna.registry.accesslog;

import jakarta.enterprise.context.ApplicationScoped;
import org.myna.registry.config.RegistryConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The name a resident goes by in an auditor's export: a keyed hash of the registry's resident id, stable across
 * exports (an auditor can count and follow one person) but neither the individual number, nor a link code, nor the
 * resident id, and useless outside the registry. Its key is derived from the look-up HMAC key for this one purpose,
 * so the two hashes never share a key.
 */
@ApplicationScoped
public class ExportSubjects {

    private final ThreadLocal<Mac> macs;

    public ExportSubjects(RegistryConfig config) {
        byte[] master = Base64.getDecoder().decode(config.crypto().hmacKey());
        byte[] derived = hmac(new SecretKeySpec(master, "HmacSHA256"), "access-log-export-subject".getBytes(StandardCharsets.US_ASCII));
        SecretKeySpec key = new SecretKeySpec(derived, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> mac(key));
    }

    public String of(long residentId) {
        byte[] h = macs.get().doFinal(Long.toString(residentId).getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 16));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }
}
