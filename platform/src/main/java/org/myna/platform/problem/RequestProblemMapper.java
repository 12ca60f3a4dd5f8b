package org.myna.platform.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Requests that fail before any resource runs: bodies that cannot be read, and RESTEasy's routing answers (404, 405,
 * 406, 415). A 4xx problem with a stable code, never an empty response, a Java name or a quote of the input.
 */
public class RequestProblemMapper {

    private static final Logger LOG = Logger.getLogger(RequestProblemMapper.class);

    // Listed one by one: a mapper for the most specific type wins over any priority, and Quarkus has built-ins
    // (quarkus-rest-jackson maps MismatchedInputException and InvalidDefinitionException itself).
    @ServerExceptionMapper(value = {JsonProcessingException.class, StreamReadException.class, JsonParseException.class,
            StreamConstraintsException.class, DatabindException.class, JsonMappingException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class, ValueInstantiationException.class,
            InvalidDefinitionException.class}, priority = Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e) {
        return JsonProblems.of(e);
    }

    @ServerExceptionMapper(value = {WebApplicationException.class, ClientErrorException.class, BadRequestException.class,
            NotFoundException.class, NotAllowedException.class, NotAcceptableException.class, NotSupportedException.class,
            NotAuthorizedException.class, jakarta.ws.rs.ForbiddenException.class, ServerErrorException.class,
            InternalServerErrorException.class, ServiceUnavailableException.class}, priority = Priorities.USER - 100)
    public Response webApplication(WebApplicationException e) {
        // quarkus-rest-jackson wraps a parse or binding failure as WebApplicationException(cause, 400).
        if (e.getCause() instanceof JsonProcessingException json) {
            return JsonProblems.of(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            if (status == 503) {
                return ProblemMapper.response(503, "unavailable", "The service cannot serve this request now; retry shortly.", Map.of());
            }
            LOG.errorf("%s answered %d", e.getClass().getSimpleName(), status);
            return ProblemMapper.response(500, "internal-error", "The request could not be processed.", Map.of());
        }
        Response answer = ProblemMapper.response(status, codeOf(status), detailOf(status), Map.of());
        if (status == 405 && e.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
            return Response.fromResponse(answer).header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW)).build();
        }
        if (status == 401) {
            return Response.fromResponse(answer).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        return answer;
    }

    static String codeOf(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 411 -> "length-required";
            case 413 -> "body-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            case 431 -> "headers-too-large";
            default -> "client-error";
        };
    }

    static String detailOf(int status) {
        return switch (status) {
            case 400 -> "The request cannot be read.";
            case 401 -> "A valid bearer token is required.";
            case 403 -> "This client's role may not use this endpoint.";
            case 404 -> "There is no such resource.";
            case 405 -> "This resource does not answer this method.";
            case 406 -> "This resource answers application/json (errors application/problem+json) only.";
            case 413 -> "The request body exceeds this service's limit.";
            case 415 -> "This resource reads another content type (application/json for the JSON APIs, "
                    + "application/x-www-form-urlencoded for /oauth2/token).";
            default -> "The request was refused.";
        };
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
        return UnexpectedProblemMapper.internal(e);
    }
}
