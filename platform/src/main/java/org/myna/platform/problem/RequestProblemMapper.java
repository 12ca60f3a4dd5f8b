package org.myna.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Bodies that cannot be read at all: a 4xx problem, never an empty response or a 500. */
public class RequestProblemMapper {

    private static final Logger LOG = Logger.getLogger(RequestProblemMapper.class);

    // Listed one by one: a mapper for the most specific type wins over any priority, and Quarkus has built-ins.
    @ServerExceptionMapper(value = {JsonProcessingException.class, com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class, com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
            com.fasterxml.jackson.databind.exc.ValueInstantiationException.class, com.fasterxml.jackson.core.JsonParseException.class},
            priority = Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e) {
        return ProblemMapper.response(400, "malformed-json",
                "The request body is not valid JSON for this endpoint" + location(e) + ".", Map.of());
    }

    @ServerExceptionMapper(value = WebApplicationException.class, priority = Priorities.USER - 100)
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return ProblemMapper.response(500, "internal-error", "The request could not be processed.", Map.of());
        }
        String code = switch (status) {
            case 400 -> "malformed-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "body-too-large";
            case 415 -> "unsupported-media-type";
            default -> "client-error";
        };
        return ProblemMapper.response(status, code, e.getResponse().getStatusInfo().getReasonPhrase() + ".", Map.of());
    }

    /**
     * A form body with a malformed percent escape (RESTEasy's form decoder throws before any resource runs). A 400,
     * and nothing of it in the log: the message quotes the value, which at /oauth2/token is a client secret. Any other
     * IllegalArgumentException is ours: a 500, logged by its type and stack only.
     */
    @ServerExceptionMapper(IllegalArgumentException.class)
    public Response illegalArgument(IllegalArgumentException e) {
        StackTraceElement[] stack = e.getStackTrace();
        if (stack.length > 0 && stack[0].getClassName().equals("org.jboss.resteasy.reactive.common.util.URLUtils")) {
            return ProblemMapper.response(400, "malformed-form-body", "The form body has a malformed percent escape.", Map.of());
        }
        IllegalArgumentException withoutMessage = new IllegalArgumentException("(message withheld)");
        withoutMessage.setStackTrace(stack);
        LOG.error("unexpected IllegalArgumentException", withoutMessage);
        return ProblemMapper.response(500, "internal-error", "The request could not be processed.", Map.of());
    }

    private static String location(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (var ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
                }
            }
            return field.isEmpty() ? "" : " (field " + field + ")";
        }
        return "";
    }
}
