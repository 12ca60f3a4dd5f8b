package org.myna.portal.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** The portal's front page: where the resident portal and the clinic's page are. No personal data. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    private final Messages messages;
    private final Template home;

    public HomeResource(Messages messages, @Location("home.html") Template home) {
        this.messages = messages;
        this.home = home;
    }

    @GET
    public TemplateInstance home(@Context HttpHeaders headers) {
        return home.data("m", messages.of(headers)).data("lang", Messages.language(headers)).data("back", "/");
    }
}
