package org.myna.insurance.resident;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.eligibility.Coverage;
import org.myna.insurance.eligibility.EligibilityCheck;
import org.myna.insurance.member.Member;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A resident's own view. Who they are comes from the token's subject (their insurance link code), never from a
 * path or query parameter.
 */
@Path("/api/me")
@RolesAllowed(Roles.RESIDENT)
public class MeResource {

    private final JsonWebToken jwt;

    public MeResource(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public record CheckView(OffsetDateTime checkedAt, String institutionCode, String method, String result) {
    }

    @GET
    @Path("coverage")
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Coverage> coverage() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
        return Member.<Member>list("linkCode = ?1 and linkStatus = ?2 order by coverageStart desc", jwt.getSubject(), Member.LINKED)
                .stream().map(m -> Coverage.of(m, today)).toList();
    }

    @GET
    @Path("eligibility-checks")
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CheckView> checks() {
        return EligibilityCheck.<EligibilityCheck>find(
                        "linkCode = ?1 or memberId in (select m.id from Member m where m.linkCode = ?1 and m.linkStatus = ?2) "
                                + "order by checkedAt desc", jwt.getSubject(), Member.LINKED)
                .page(0, 200).list().stream()
                .map(c -> new CheckView(c.checkedAt, c.institutionCode, c.method, c.result)).toList();
    }
}
