package org.myna.insurance.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.myna.platform.accesslog.AccessLogTransport;
import org.myna.platform.accesslog.AccessRecord;

import java.util.List;

/**
 * Hands the access-log outbox's batches to the registry. Not behind the clinic path's circuit breaker: a slow delivery
 * must never make a clinic hear "registry-unavailable"; the sender's back-off is this path's only guard.
 */
@ApplicationScoped
class RegistryAccessLog implements AccessLogTransport {

    private final RegistryApi api;
    private final RegistryTokens tokens;
    private final ObjectMapper json;

    RegistryAccessLog(@RestClient RegistryApi api, RegistryTokens tokens, ObjectMapper json) {
        this.api = api;
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    public void send(List<AccessRecord> batch) {
        String body;
        try {
            body = json.writeValueAsString(new RegistryContract.AccessLogBatch(batch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("access-log batch not serialisable");
        }
        try {
            api.accessLog(tokens.bearer(), body);
        } catch (RegistryHttpException e) {
            if (e.status == 401) {
                tokens.forget();
            }
            if (e.status == 400 || e.status == 413 || e.status == 422) {
                throw new Rejected("the registry refused the batch (" + e.status + ")");
            }
            throw new RegistryUnavailableException("the registry answered " + e.status);
        }
    }
}
