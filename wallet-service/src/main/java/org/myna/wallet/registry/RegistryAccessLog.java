package org.myna.wallet.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.myna.platform.accesslog.AccessLogTransport;
import org.myna.platform.accesslog.AccessRecord;

import java.util.List;

/**
 * Hands the access-log outbox's batches to the registry. Not behind the exchange's circuit breaker: a slow delivery
 * must never make a resident's application hear "registry-unavailable"; the sender's back-off is this path's guard.
 */
@ApplicationScoped
class RegistryAccessLog implements AccessLogTransport {

    private final RegistryApi api;
    private final RegistryClient client;

    RegistryAccessLog(@RestClient RegistryApi api, RegistryClient client) {
        this.api = api;
        this.client = client;
    }

    @Override
    public void send(List<AccessRecord> batch) {
        try {
            api.accessLog(client.bearer(), new RegistryApi.AccessLogBatch(batch));
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status == 401) {
                client.forgetToken();
            }
            if (status == 400 || status == 413 || status == 422) {
                throw new Rejected("the registry refused the batch (" + status + ")");
            }
            // Only the status: the exception's message may quote the answer.
            throw new IllegalStateException("the registry answered " + status);
        }
    }
}
