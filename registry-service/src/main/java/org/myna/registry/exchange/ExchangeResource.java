package org.myna.registry.exchange;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.myna.registry.auth.Roles;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * The exchange between services (情報提供ネットワーク): a service asks about a person by ITS link code, the registry
 * answers yes or no, and the resident's access log records who asked what.
 */
@Path("/api/exchange")
@RolesAllowed(Roles.SERVICE)
public class ExchangeResource {

    private final ExchangeService exchange;

    public ExchangeResource(ExchangeService exchange) {
        this.exchange = exchange;
    }

    public record EligibilityQuestion(
            @NotBlank @Size(max = 32) String linkCode,
            @NotNull @Pattern(regexp = "card-active|public-fund-account|insurance-linked",
                    message = "must be card-active, public-fund-account or insurance-linked") String question) {
    }

    public record EligibilityAnswer(String question, boolean answer) {
    }

    /** A payment account holder's name in kana, as the provider gave it when confirming a binding. */
    public record HolderNameQuestion(@NotBlank @Size(max = 32) String linkCode, @NotBlank @Size(max = 100) String holderKana) {
    }

    public record HolderNameAnswer(boolean matches) {
    }

    @Extension(name = "x-refusals", value = "403 exchange-not-allowed, 404 unknown-link-code")
    @POST
    @Path("holder-name")
    public HolderNameAnswer holderName(@NotNull @Valid HolderNameQuestion question) {
        return new HolderNameAnswer(exchange.holderNameMatches(question.linkCode(), question.holderKana()));
    }

    @Extension(name = "x-refusals", value = "400 unknown-question, 403 exchange-not-allowed, 404 unknown-link-code")
    @POST
    @Path("eligibility")
    public EligibilityAnswer eligibility(@NotNull @Valid EligibilityQuestion question) {
        return new EligibilityAnswer(question.question(), exchange.answer(question.linkCode(), question.question()));
    }
}
