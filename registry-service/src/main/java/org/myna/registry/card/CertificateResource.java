package org.myna.registry.card;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.Caller;
import org.myna.registry.auth.Roles;
import org.myna.registry.auth.ServiceAudiences;
import org.myna.registry.ca.Pems;
import org.myna.registry.linkcode.LinkCodeService;

import java.security.cert.X509Certificate;
import java.util.Map;

/** Certificate status for any verifier, and the holder's link code for the services that verified a card. */
@Path("/api/certificates")
public class CertificateResource {

    private final CardCredentials credentials;
    private final LinkCodeService linkCodes;
    private final ServiceAudiences audiences;
    private final Caller caller;
    private final AccessLog accessLog;

    public CertificateResource(CardCredentials credentials, LinkCodeService linkCodes, ServiceAudiences audiences,
                               Caller caller, AccessLog accessLog) {
        this.credentials = credentials;
        this.linkCodes = linkCodes;
        this.audiences = audiences;
        this.caller = caller;
        this.accessLog = accessLog;
    }

    public record HolderLinkRequest(String certificate) {
    }

    @GET
    @Path("{serial}/status")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status(@PathParam("serial") String serial) {
        return credentials.status(serial).toJson();
    }

    /**
     * A service that verified a card's signature asks whose card it is: the answer is that holder's link code for
     * the calling service's audience only, and only while the certificate is good.
     */
    /** The certificate's status and, when good, the holder's link code for the calling service. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record HolderLinkAnswer(String status, String linkCode) {
    }

    @POST
    @Path("holder-link")
    @RolesAllowed(Roles.SERVICE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HolderLinkAnswer holderLink(@NotNull HolderLinkRequest request) {
        String audience = audiences.audienceOf(caller.id()).orElseThrow(() ->
                new Problem(403, "service-audience-unknown", "This client is not configured as a service audience."));
        X509Certificate certificate = Pems.parseCertificate(request.certificate()).orElseThrow(() ->
                Problem.invalidField("certificate", "certificate-malformed", "certificate must be one PEM X.509 certificate."));
        // One transaction: the status read, the link code and the access-log row of the exchange commit together.
        // One query reads status and link code; only a holder's first link code for this audience is created here.
        return QuarkusTransaction.requiringNew().call(() -> {
            CardCredentials.HolderLink found = credentials.holderLink(certificate, audience).orElse(null);
            if (found == null) {
                return new HolderLinkAnswer(CertificateStatus.UNKNOWN, null);
            }
            CardCredentials.Holder holder = found.holder();
            if (!CardCertificate.AUTHENTICATION.equals(holder.status().type())) {
                throw new Problem(422, "not-an-authentication-certificate", "Only an authentication certificate identifies a holder.");
            }
            if (!holder.status().good()) {
                return new HolderLinkAnswer(holder.status().status(), null);
            }
            String code = found.linkCode() != null ? found.linkCode() : linkCodes.codeFor(holder.residentId(), audience);
            accessLog.record(holder.residentId(), AccessLog.EXCHANGE, "certificate-holder-link:" + audience, "linkCode");
            return new HolderLinkAnswer(CertificateStatus.GOOD, code);
        });
    }
}
