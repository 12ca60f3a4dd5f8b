package org.myna.portal.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** Switches the pages' language (a cookie, no personal data) and goes back to the page it came from. */
@Path("/lang")
public class LanguageResource {

    private final PortalConfig config;

    public LanguageResource(PortalConfig config) {
        this.config = config;
    }

    @GET
    public Response choose(@QueryParam("to") String to, @QueryParam("back") String back) {
        String language = "en".equals(to) ? "en" : "ja";
        // Only a path of this site: never an open redirect to another host ("//evil", "/\evil", "https:...").
        String target = back != null && back.matches("/[A-Za-z0-9/_-]*") && !back.startsWith("//") ? back : "/";
        NewCookie cookie = new NewCookie.Builder(Messages.COOKIE).value(language).path("/").httpOnly(true)
                .secure(config.session().secureCookies()).sameSite(NewCookie.SameSite.STRICT)
                .maxAge(365 * 24 * 3600).build();
        return Response.seeOther(URI.create(target)).cookie(cookie).build();
    }
}
