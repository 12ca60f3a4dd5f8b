package org.myna.registry.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.myna.registry.config.RegistryConfig;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Creates the clients named in configuration ({@code registry.clients.<id>}) that the database lacks. An existing
 * client keeps its secret, so rotating one is a deliberate act, not a side effect of a restart.
 */
@ApplicationScoped
public class ClientProvisioner {

    private final RegistryConfig config;

    public ClientProvisioner(RegistryConfig config) {
        this.config = config;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        for (Map.Entry<String, RegistryConfig.Client> entry : config.clients().entrySet()) {
            RegistryConfig.Client wanted = entry.getValue();
            for (String role : wanted.roles()) {
                if (!Roles.ORGANISATION.contains(role)) {
                    throw new IllegalStateException("client " + entry.getKey() + " has unknown role " + role);
                }
            }
            if (OAuthClient.findById(entry.getKey()) != null) {
                continue;
            }
            OAuthClient client = new OAuthClient();
            client.clientId = entry.getKey();
            client.secretHash = wanted.secretHash().orElseGet(() -> SecretHasher.hash(wanted.secret()
                    .orElseThrow(() -> new IllegalStateException("client " + entry.getKey() + " needs secret or secret-hash"))));
            client.roles = String.join(" ", wanted.roles());
            client.createdAt = OffsetDateTime.now();
            client.persist();
        }
    }
}
