package org.myna.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    Token token();

    Signing signing();

    Crypto crypto();

    Stats stats();

    /** OAuth2 clients provisioned at start-up; absent ones are inserted, present ones keep their secret. */
    Map<String, Client> clients();

    interface Token {
        String issuer();

        Duration lifetime();
    }

    interface Signing {
        /** PKCS#8 PEM file holding the RSA private key that signs every token. */
        String keyFile();

        /** Only in the demo profiles: create the key on first start. */
        @WithDefault("false")
        boolean generateIfMissing();
    }

    interface Crypto {
        /** Base64 AES-256 key for the individual number at rest. */
        String numberKey();

        /** Base64 HMAC-SHA256 key for look-ups by number. */
        String hmacKey();
    }

    interface Stats {
        long nationalPopulation();
    }

    interface Client {
        /** The secret in clear (demo profiles only) ... */
        Optional<String> secret();

        /** ... or its bcrypt hash (production). */
        Optional<String> secretHash();

        List<String> roles();

        /** The organisation's name shown to residents in their access log beside the client id. */
        Optional<String> name();
    }
}
