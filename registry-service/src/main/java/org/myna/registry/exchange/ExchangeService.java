package org.myna.registry.exchange;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.Caller;
import org.myna.registry.auth.ServiceAudiences;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.me.KanaNames;
import org.myna.registry.resident.Resident;

import java.util.Optional;

@ApplicationScoped
public class ExchangeService {

    private final LinkCodeService linkCodes;
    private final ServiceAudiences audiences;
    private final Caller caller;
    private final AccessLog accessLog;
    private final InsuranceClient insurance;

    public ExchangeService(LinkCodeService linkCodes, ServiceAudiences audiences, Caller caller, AccessLog accessLog,
                           InsuranceClient insurance) {
        this.linkCodes = linkCodes;
        this.audiences = audiences;
        this.caller = caller;
        this.accessLog = accessLog;
        this.insurance = insurance;
    }

    /** Only the wallet asks eligibility questions; its link code is translated here and never leaves. */
    public boolean answer(String walletLinkCode, String question) {
        long residentId = walletResident(walletLinkCode);
        boolean answer = switch (question) {
            case "card-active" -> QuarkusTransaction.requiringNew().call(() -> EligibilityFacts.cardActive(residentId));
            case "public-fund-account" -> QuarkusTransaction.requiringNew().call(() -> EligibilityFacts.publicFundAccount(residentId));
            // The REST call happens outside any transaction; only an existing insurance link code is worth asking about.
            case "insurance-linked" -> {
                Optional<String> code = QuarkusTransaction.requiringNew().call(() -> linkCodes.find(residentId, "insurance"));
                yield code.isPresent() && insurance.linked(code.get());
            }
            default -> throw Problem.badRequest("unknown-question", "Unknown eligibility question.");
        };
        QuarkusTransaction.requiringNew().run(() ->
                accessLog.record(residentId, AccessLog.EXCHANGE, "wallet:" + question, question));
        return answer;
    }

    /**
     * DESIGN §6.2: a payment provider confirms a resident's binding with its account holder's name in kana; the wallet
     * asks here whether that is the resident's name (compared as for public-fund accounts). Yes or no, never the name.
     */
    public boolean holderNameMatches(String walletLinkCode, String holderKana) {
        long residentId = walletResident(walletLinkCode);
        boolean matches = QuarkusTransaction.requiringNew().call(() -> {
            Resident r = Resident.findById(residentId);
            return r != null && KanaNames.sameName(holderKana, r.familyNameKana + r.givenNameKana);
        });
        QuarkusTransaction.requiringNew().run(() ->
                accessLog.record(residentId, AccessLog.EXCHANGE, "wallet:payment-account-holder", "name-kana"));
        return matches;
    }

    private long walletResident(String walletLinkCode) {
        if (!audiences.audienceOf(caller.id()).filter("wallet"::equals).isPresent()) {
            throw new Problem(403, "exchange-not-allowed", "This client may not ask eligibility questions.");
        }
        return QuarkusTransaction.requiringNew().call(() -> linkCodes.residentFor("wallet", walletLinkCode))
                .orElseThrow(() -> Problem.notFound("unknown-link-code", "No resident holds this link code for the wallet."));
    }
}
