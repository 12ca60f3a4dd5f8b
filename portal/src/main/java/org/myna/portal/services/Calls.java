package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/** Turns a REST client's failure into a {@link ServiceProblem} with the service's own problem code. */
final class Calls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Calls() {
    }

    static <T> T call(String service, Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            Response r = e.getResponse();
            String code = null;
            String detail = null;
            try {
                JsonNode problem = JSON.readTree(r.readEntity(String.class));
                code = text(problem, "code");
                if (code == null) {
                    code = text(problem, "type");
                }
                detail = text(problem, "detail");
            } catch (RuntimeException | java.io.IOException ignored) {
                // not a problem document: the status alone tells
            }
            int status = r.getStatus();
            if (code == null) {
                code = status >= 500 ? service + "-unavailable" : "http-" + status;
            }
            throw new ServiceProblem(status, code, detail);
        } catch (ProcessingException e) {
            throw new ServiceProblem(503, service + "-unavailable", null);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
