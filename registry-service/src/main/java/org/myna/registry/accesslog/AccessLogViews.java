package org.myna.registry.accesslog;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How access-log rows are shown, and how a page names the next one (RFC 8288 {@code Link: <…>; rel="next"}). */
public final class AccessLogViews {

    private AccessLogViews() {
    }

    /** who: the client id (or the resident's own subject); organisation: its name, when the registry knows one. */
    public static Map<String, Object> row(AccessLogQuery.Row r) {
        AccessLogEntry e = r.entry();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("who", e.actor);
        row.put("organisation", r.organisationName());
        row.put("role", e.actorRole);
        row.put("action", e.action);
        row.put("purpose", e.purpose);
        row.put("fields", e.fields);
        row.put("at", e.at);
        return row;
    }

    /** The rows as a JSON array (as before paging existed) and the next page, if any, in the Link header. */
    public static Response page(List<Map<String, Object>> rows, String next, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(rows);
        if (next != null) {
            // Only the path and query of this request: the cursor and the same filters. No host, which a proxy may rewrite.
            String query = uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build().getRawQuery();
            response.header("Link", "<" + uri.getRequestUri().getRawPath() + "?" + query + ">; rel=\"next\"");
        }
        return response.build();
    }
}
