package org.myna.insurance.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.myna.platform.problem.Problem;

/**
 * HAPI's R4 context and JSON parser. The context is built once (it caches the model's definitions); parsers are
 * cheap and not thread-safe, so each call makes its own. Parsing is strict: an unknown element, a wrong type or a
 * bad value is a 400 {@code malformed-fhir}, as unknown JSON fields are on the REST API.
 */
@ApplicationScoped
public class FhirJson {

    public static final String FHIR_JSON = "application/fhir+json";
    public static final MediaType FHIR_JSON_TYPE = new MediaType("application", "fhir+json");
    /**
     * What every FHIR answer is sent as, whichever JSON type was asked for (application/json is an alias, FHIR R4
     * http.html §3.1.0.1.7): the formal type, with the charset the specification requires stated.
     */
    public static final MediaType ANSWER_TYPE = new MediaType("application", "fhir+json", "UTF-8");

    private final FhirContext context = FhirContext.forR4Cached();

    public FhirContext context() {
        return context;
    }

    public <T extends IBaseResource> T parse(Class<T> type, String body) {
        if (body == null || body.isBlank()) {
            throw Problem.badRequest("malformed-fhir", "The request body must be a FHIR R4 resource in JSON.");
        }
        IParser parser = context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(type, body);
        } catch (DataFormatException | ClassCastException e) {
            // HAPI's messages quote the offending element, never the body's values beyond it; keep them short anyway.
            throw Problem.badRequest("malformed-fhir", "The body is not a valid FHIR R4 " + type.getSimpleName()
                    + " in JSON: " + shorten(e.getMessage()));
        }
    }

    public IBaseResource parseAny(String body) {
        if (body == null || body.isBlank()) {
            throw Problem.badRequest("malformed-fhir", "The request body must be a FHIR R4 resource in JSON.");
        }
        try {
            return context.newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(body);
        } catch (DataFormatException e) {
            throw Problem.badRequest("malformed-fhir", "The body is not a valid FHIR R4 resource in JSON: " + shorten(e.getMessage()));
        }
    }

    public String encode(IBaseResource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }

    private static String shorten(String message) {
        if (message == null) {
            return "unreadable";
        }
        // HAPI prefixes its messages with a code such as "HAPI-1861: "; the rest names the element.
        String m = message.replaceFirst("^HAPI-\\d+:\\s*", "");
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
