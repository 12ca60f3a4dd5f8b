package org.myna.registry.cardlogin;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.myna.platform.ratelimit.RateLimited;

import java.util.Map;

/**
 * RFC 8628 at the registry, the card app's two calls: what is being approved, then the approval signed by the card.
 * The portal starts at /oauth2/device_authorization and redeems at /oauth2/token with
 * grant_type=urn:ietf:params:oauth:grant-type:device_code (both in TokenResource).
 */
@Path("/api/device-logins")
@PermitAll
@RateLimited("card-login")
public class DeviceLoginResource {

    private final DeviceLoginService devices;

    public DeviceLoginResource(DeviceLoginService devices) {
        this.devices = devices;
    }

    public record LookupRequest(String userCode) {
    }

    public record ApprovalRequest(String userCode, String certificate, String signature) {
    }

    /** The card app, before it asks for the PIN: who is asking to log in, with which code, since when. */
    @Extension(name = "x-refusals", value = "400 invalid-request, 404 login-code-unknown, 409 login-code-used, 410 login-code-expired")
    @POST
    @Path("lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public DeviceLoginService.Pending lookup(LookupRequest request) {
        return devices.lookup(request == null ? null : request.userCode());
    }

    @Extension(name = "x-refusals", value = "400 invalid-request, 400 certificate-malformed, 401 certificate-untrusted, 401 certificate-revoked, 401 certificate-expired, 401 signature-invalid, 401 card-not-active, 401 card-suspended, 403 act-other-resident, 404 login-code-unknown, 409 login-code-used, 410 login-code-expired")
    @POST
    @Path("approval")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> approve(ApprovalRequest request) {
        if (request == null) {
            throw org.myna.platform.problem.Problem.badRequest("invalid-request", "A JSON body is required.");
        }
        devices.approve(request.userCode(), request.certificate(), request.signature());
        return Map.of("status", "approved");
    }
}
