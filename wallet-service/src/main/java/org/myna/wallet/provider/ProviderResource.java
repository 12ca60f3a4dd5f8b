package org.myna.wallet.provider;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.provider.ProviderRequests.RegisterMerchant;
import org.myna.wallet.provider.ProviderRequests.RegisterPaymentService;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PAYMENT_PROVIDER)
public class ProviderResource {

    private final ProviderService providers;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    public ProviderResource(ProviderService providers, Idempotency idempotency, JsonWebToken jwt) {
        this.providers = providers;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    /** A payment provider registers its service; the calling client owns it. */
    @Extension(name = "x-refusals", value = "409 payment-service-exists")
    @APIResponse(responseCode = "201", description = "The payment service. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProviderRequests.PaymentServiceResponse.class)))
    @POST
    @Path("/payment-services")
    public Response registerPaymentService(@HeaderParam("Idempotency-Key") String key, RegisterPaymentService body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        CorporateNumber number = CorporateNumber.parse("corporateNumber", body.corporateNumber());
        String name = requireName(body.name());
        return idempotency.execute(jwt.getSubject(), key, "POST /api/payment-services", body, 201,
                ticket -> providers.registerPaymentService(jwt.getSubject(), number, name, ticket));
    }

    @Extension(name = "x-refusals", value = "409 merchant-exists")
    @APIResponse(responseCode = "201", description = "The merchant. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProviderRequests.MerchantResponse.class)))
    @POST
    @Path("/merchants")
    public Response registerMerchant(@HeaderParam("Idempotency-Key") String key, RegisterMerchant body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        CorporateNumber number = CorporateNumber.parse("corporateNumber", body.corporateNumber());
        String name = requireName(body.name());
        return idempotency.execute(jwt.getSubject(), key, "POST /api/merchants", body, 201,
                ticket -> providers.registerMerchant(jwt.getSubject(), number, name, ticket));
    }

    static String requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw Problem.invalidField("name", "invalid-name", "A name of 1 to 200 characters is required.");
        }
        return name;
    }
}
