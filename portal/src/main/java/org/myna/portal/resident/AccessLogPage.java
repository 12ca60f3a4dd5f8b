package org.myna.portal.resident;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.portal.services.RegistryClient;
import org.myna.portal.services.ServiceProblem;
import org.myna.portal.web.Messages;
import org.myna.portal.web.PortalSession;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who read my data, a page at a time. The registry pages by keyset (an opaque cursor in its {@code Link: rel=next}
 * header, stable while new rows arrive); this page carries the cursor and the filters in its "next" link and offers
 * "back to the newest" (keyset pages have no "previous" without a second cursor, and the newest page is the one
 * people come back to). Filters: organisation (client id), purpose, and a period in days (Japan time, both days
 * included).
 */
@Path("/me/access-log")
@Produces(MediaType.TEXT_HTML)
public class AccessLogPage {

    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private final ResidentGuard guard;
    private final RegistryClient registry;
    private final Messages messages;
    private final Template page;
    private final int pageSize;

    public AccessLogPage(ResidentGuard guard, RegistryClient registry, Messages messages,
                         @Location("me/access-log.html") Template page,
                         org.myna.portal.web.PortalConfig config) {
        this.guard = guard;
        this.registry = registry;
        this.messages = messages;
        this.page = page;
        this.pageSize = config.accessLog().pageSize();
    }

    /** The filters as the form shows them again, and as the "next" link repeats them. */
    public record Filters(String organisation, String purpose, String from, String to) {
    }

    @GET
    public Response show(@Context HttpHeaders headers, @QueryParam("organisation") String organisation,
                         @QueryParam("purpose") String purpose, @QueryParam("from") String from,
                         @QueryParam("to") String to, @QueryParam("cursor") String cursor) {
        PortalSession s = guard.loggedIn(headers).orElseThrow(ResidentGuard::notLoggedIn);
        Map<String, String> words = messages.of(headers);
        Filters filters = new Filters(trim(organisation), trim(purpose), trim(from), trim(to));
        List<ResidentResource.AccessRow> rows = new ArrayList<>();
        String next = null;
        PageProblem problem = null;
        int status = 200;
        try {
            RegistryClient.AccessLogQuery q = query(filters, blankToNull(cursor));
            RegistryClient.AccessLogPage p = registry.accessLogPage(s.accessToken, q);
            guard.confirmed(s);
            p.rows().forEach(r -> rows.add(ResidentResource.AccessRow.of(r)));
            if (p.nextCursor() != null) {
                next = link(filters, p.nextCursor());
            }
        } catch (InvalidFilter e) {
            problem = PageProblem.of(words, e.code, null);
            status = 400;
        } catch (ServiceProblem e) {
            RuntimeException outcome = guard.refused(s, e);
            if (outcome instanceof ResidentGuard.SessionEnded ended) {
                throw ended;
            }
            problem = PageProblem.of(words, e.code(), null);
            status = e.status() >= 500 ? 503 : 400;
        }
        return Response.status(status).entity(page.data("m", words).data("lang", Messages.language(headers))
                .data("back", "/me/access-log").data("rows", rows).data("filters", filters)
                .data("next", next).data("paged", cursor != null && !cursor.isBlank())
                .data("first", link(filters, null)).data("problem", problem)).build();
    }

    /**
     * The registry's query: the days as instants (from the first day's start to the day after the last, JST), written
     * in UTC ("Z"): a "+09:00" offset would need its '+' escaped in the query, or arrive as a space.
     */
    private RegistryClient.AccessLogQuery query(Filters f, String cursor) {
        LocalDate from = day(f.from());
        LocalDate to = day(f.to());
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidFilter("period-reversed");
        }
        return new RegistryClient.AccessLogQuery(blankToNull(f.organisation()), blankToNull(f.purpose()),
                from == null ? null : from.atStartOfDay(JAPAN).toInstant().toString(),
                to == null ? null : to.plusDays(1).atStartOfDay(JAPAN).toInstant().toString(), cursor, pageSize);
    }

    private static LocalDate day(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidFilter("invalid-date");
        }
    }

    /** This page's address with the filters (and a cursor), every value percent-encoded: no template, no injection. */
    private static String link(Filters f, String cursor) {
        StringBuilder b = new StringBuilder();
        param(b, "organisation", f.organisation());
        param(b, "purpose", f.purpose());
        param(b, "from", f.from());
        param(b, "to", f.to());
        param(b, "cursor", cursor);
        return "/me/access-log" + (b.length() == 0 ? "" : "?" + b.substring(1));
    }

    private static void param(StringBuilder b, String name, String value) {
        if (value != null && !value.isEmpty()) {
            b.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static final class InvalidFilter extends RuntimeException {
        final String code;

        InvalidFilter(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
