package org.myna.platform.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.myna.platform.json.StrictText;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A body Jackson could not bind, as a 400 with a code for what was wrong and the field where it was. Jackson's own
 * messages are never passed on: they quote the input and name Java classes.
 */
final class JsonProblems {

    private static final Logger LOG = Logger.getLogger(JsonProblems.class);

    /** Field names are echoed only when they look like the names our records declare; anything else is input. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}(\\[\\d{1,6}]|\\.[A-Za-z][A-Za-z0-9_]{0,63})*(\\[\\d{1,6}])?");

    private JsonProblems() {
    }

    static Response of(JsonProcessingException e) {
        String field = field(e);
        // The innermost Jackson exception says what went wrong; the outer ones only add the path.
        JsonProcessingException inner = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StrictText.InvalidText) {
                return problem("invalid-encoding", field, "is not well-formed Unicode text (invalid UTF-8, an unpaired surrogate or a non-character)");
            }
            if (t instanceof JsonProcessingException json) {
                inner = json;
            }
        }
        if (inner instanceof com.fasterxml.jackson.core.JsonParseException parse && parse.getOriginalMessage() != null
                && parse.getOriginalMessage().startsWith("Duplicate field")) {
            return problem("duplicate-field", field, "appears more than once");
        }
        if (inner instanceof StreamConstraintsException) {
            return problem("body-too-complex", field, "exceeds the nesting, number or string limits");
        }
        if (inner instanceof UnrecognizedPropertyException) {
            return field == null
                    ? ProblemMapper.response(400, "unknown-field", "The request body has a field this endpoint does not read.", Map.of())
                    : problem("unknown-field", field, "is not a field this endpoint reads");
        }
        if (inner instanceof InvalidFormatException format) {
            return wrongType(format.getValue(), format.getTargetType())
                    ? problem("invalid-field-type", field, "has the wrong JSON type (a number or a boolean where a string is required, or a string where a number is)")
                    : problem("invalid-field-value", field, "has a value of the wrong form");
        }
        if (inner instanceof ValueInstantiationException) {
            return problem("invalid-field-value", field, "has a value that is not allowed");
        }
        if (inner instanceof InvalidDefinitionException definition) {
            // Our own type that Jackson cannot bind: still the body's shape that led there, a 400, but worth a look.
            LOG.warnf("body not bindable to %s", definition.getType() == null ? "?" : definition.getType().getRawClass().getSimpleName());
            return problem("malformed-json", field, "does not have the shape this endpoint reads");
        }
        if (inner instanceof MismatchedInputException) {
            return problem("invalid-field-type", field, "has the wrong JSON type (a string, a number, a boolean, an object or an array where another is required)");
        }
        return problem("malformed-json", field, "is not valid JSON");
    }

    /** A scalar of one JSON type where another is required, as opposed to a string of the wrong form (a date). */
    private static boolean wrongType(Object value, Class<?> target) {
        if (target == null) {
            return false;
        }
        boolean textual = target == String.class || CharSequence.class.isAssignableFrom(target);
        boolean scalar = target.isPrimitive() || Number.class.isAssignableFrom(target) || target == Boolean.class;
        return (textual && !(value instanceof String)) || (scalar && value instanceof String);
    }

    private static Response problem(String code, String field, String what) {
        if (field == null) {
            return ProblemMapper.response(400, code, "The request body " + what + ".", Map.of());
        }
        String message = "The field " + field + " " + what + ".";
        return ProblemMapper.response(400, code, message, Map.of("violations", List.of(Map.of("field", field, "message", message))));
    }

    /** records[3].resident.familyName, from the binder's path or, for a parser error, from the parser's position. */
    static String field(JsonProcessingException e) {
        String path = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!PLAIN_NAME.matcher(ref.getFieldName()).matches()) {
                        break; // a name we do not declare is input: name the field up to its parent
                    }
                    b.append(b.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    b.append('[').append(ref.getIndex()).append(']');
                }
            }
            path = b.toString();
        }
        // A parse error deeper than the binder saw (a repeated key): the parser knows where it stood.
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException p && p.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (!pointer.isEmpty()) {
                    path = fromPointer(pointer);
                }
            }
        }
        return path == null || path.isEmpty() || !PLAIN_PATH.matcher(path).matches() ? null : path;
    }

    private static String fromPointer(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String segment : pointer.substring(1).split("/", -1)) {
            if (segment.matches("\\d{1,6}")) {
                b.append('[').append(segment).append(']');
            } else if (PLAIN_NAME.matcher(segment).matches()) {
                b.append(b.isEmpty() ? "" : ".").append(segment);
            } else {
                break;
            }
        }
        return b.toString();
    }
}
