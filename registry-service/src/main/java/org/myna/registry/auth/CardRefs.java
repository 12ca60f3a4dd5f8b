package org.myna.registry.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.myna.registry.config.RegistryConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The card a resident token was made with, as the token's audience may know it (claim {@value #CLAIM}). For the
 * registry it is the authentication certificate's serial, which the registry looks up on every request. For the
 * other services it is a pairwise reference (a keyed hash of audience and serial), like the link code: it lets a
 * service match a card-revoked or card-suspended event to the tokens of that very card, yet two services cannot
 * join their data on it. Never the individual number.
 */
@ApplicationScoped
public class CardRefs {

    public static final String CLAIM = "card";

    private final SecretKeySpec key;

    public CardRefs(RegistryConfig config) {
        byte[] master = Base64.getDecoder().decode(config.crypto().hmacKey());
        // A key of its own, derived from the look-up key: a card reference can never equal a number's hash.
        this.key = new SecretKeySpec(mac(new SecretKeySpec(master, "HmacSHA256"), "myna card reference key"), "HmacSHA256");
    }

    public String forAudience(String audience, String authSerial) {
        if (OperationTokens.AUDIENCE.equals(audience)) {
            return authSerial;
        }
        byte[] digest = mac(key, audience + "\n" + authSerial);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    private static byte[] mac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
