package org.myna.insurance.link;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.member.Member;

import java.util.Map;

/** Asked by the registry's exchange: is the resident behind this insurance link code linked to any member? */
@Path("/api/links")
@RolesAllowed(Roles.SERVICE)
public class LinkResource {

    @GET
    @Path("{linkCode}")
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Boolean> linked(@PathParam("linkCode") String linkCode) {
        boolean linked = linkCode.length() <= 64
                && Member.count("linkCode = ?1 and linkStatus = ?2", linkCode, Member.LINKED) > 0;
        return Map.of("linked", linked);
    }
}
