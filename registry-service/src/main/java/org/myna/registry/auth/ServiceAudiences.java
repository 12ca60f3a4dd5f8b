package org.myna.registry.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/** Which audience (wallet, insurance) a calling service client speaks for: {@code registry.service-audiences.<clientId>}. */
@ConfigMapping(prefix = "registry.service-audiences")
public interface ServiceAudiences {

    @WithParentName
    Map<String, String> byClient();

    default Optional<String> audienceOf(String clientId) {
        return Optional.ofNullable(byClient().get(clientId));
    }
}
