package org.myna.insurance.link;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.member.Member;


/**
 * Asked by the registry's exchange: is the resident behind this insurance link code linked to any member? A read,
 * but a POST: the link code travels in the body, never in a URL (request lines reach access logs and traces).
 */
@Path("/api/links")
@RolesAllowed(Roles.SERVICE)
public class LinkResource {

    public record LinkQuery(String linkCode) {
    }

    public record LinkAnswer(@Schema(required = true) boolean linked) {
    }

    @POST
    @Path("lookup")
    @Transactional(Transactional.TxType.SUPPORTS)
    public LinkAnswer linked(@NotNull LinkQuery query) {
        String linkCode = query.linkCode();
        boolean linked = linkCode != null && linkCode.length() <= 64
                && Member.count("linkCode = ?1 and linkStatus = ?2", linkCode, Member.LINKED) > 0;
        return new LinkAnswer(linked);
    }
}
