package org.myna.platform.problem;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bean Validation of a request: 400 {@code invalid-request} listing each offending field and its constraint's message
 * (the messages are written for callers and never quote the value). A violated return value is our fault: a 500.
 */
public class ValidationProblemMapper {

    @ServerExceptionMapper(value = {ConstraintViolationException.class, ResteasyReactiveViolationException.class},
            priority = Priorities.USER - 100)
    public Response violated(ConstraintViolationException e) {
        List<Map<String, Object>> violations = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            if (isReturnValue(v)) {
                return UnexpectedProblemMapper.internal(e);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("field", field(v.getPropertyPath()));
            one.put("message", v.getMessage());
            violations.add(one);
        }
        violations.sort(Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("field"))).thenComparing(m -> String.valueOf(m.get("message"))));
        String fields = String.join(", ", violations.stream().map(m -> String.valueOf(m.get("field"))).distinct().toList());
        return ProblemMapper.response(400, "invalid-request", "Invalid fields: " + fields + ".", Map.of("violations", violations));
    }

    /** ConstraintDeclarationException and the like: a constraint declared wrongly, never the caller's fault. */
    @ServerExceptionMapper(value = ValidationException.class, priority = Priorities.USER - 100)
    public Response broken(ValidationException e) {
        return UnexpectedProblemMapper.internal(e);
    }

    private static boolean isReturnValue(ConstraintViolation<?> v) {
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** register.request.address.postalCode → address.postalCode; a whole-body violation → body. */
    static String field(Path path) {
        StringBuilder b = new StringBuilder();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, PARAMETER, CROSS_PARAMETER -> {
                    continue;
                }
                default -> {
                }
            }
            if (node.getIndex() != null && !b.isEmpty()) {
                b.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                b.append(b.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return b.isEmpty() ? "body" : b.toString();
    }
}
