package org.myna.insurance.fhir;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Set;

/**
 * FHIR's {@code _format} parameter (R4 http.html §3.1.0.1.7), for clients that cannot set Accept: it overrides the
 * Accept header. {@code json}, {@code application/json} and {@code application/fhir+json} ask for the JSON this
 * façade speaks; any other value (xml, turtle) stands as the Accept asked for, which the routing answers 406.
 */
public class FhirFormat {

    static final Set<String> JSON = Set.of("json", "application/json", "application/fhir+json");

    @ServerRequestFilter(preMatching = true)
    public void format(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/fhir")) {
            return;
        }
        String format = request.getUriInfo().getQueryParameters().getFirst("_format");
        if (format == null || format.isBlank()) {
            return;
        }
        String asked = format.replaceFirst(";.*", "").strip().toLowerCase(Locale.ROOT);
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, JSON.contains(asked) ? FhirJson.FHIR_JSON : unmatched(asked));
    }

    /** A well-formed media type for a format not spoken here (a bare "xml" is a FHIR code): routing answers 406. */
    static String unmatched(String asked) {
        try {
            MediaType type = MediaType.valueOf(asked);
            if (!type.isWildcardType() && !type.isWildcardSubtype()) {
                return type.getType() + "/" + type.getSubtype();
            }
        } catch (IllegalArgumentException notAMediaType) {
            // a code such as xml or ttl
        }
        String code = asked.replaceAll("[^a-z0-9.-]", "");
        return "application/fhir+" + (code.isEmpty() ? "unknown" : code);
    }
}
