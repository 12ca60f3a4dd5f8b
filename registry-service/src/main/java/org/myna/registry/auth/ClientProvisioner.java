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
 * client keeps its secret, so rotating one is a deliberate act, not a side effect of a restart; its organisation name
 * follows the configuration.
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
            OAuthClient existing = OAuthClient.findById(entry.getKey());
            if (existing != null) {
                // A name is no secret: configuration renames an organisation on the next start.
                wanted.name().ifPresent(name -> existing.organisationName = name);
                continue;
            }
            OAuthClient client = new OAuthClient();
            client.clientId = entry.getKey();
            client.secretHash = wanted.secretHash().orElseGet(() -> SecretHasher.hash(wanted.secret()
                    .orElseThrow(() -> new IllegalStateException("client " + entry.getKey() + " needs secret or secret-hash"))));
            client.roles = String.join(" ", wanted.roles());
            client.organisationName = wanted.name().orElse(null);
            client.createdAt = OffsetDateTime.now();
            client.persist();
        }
    }
}
