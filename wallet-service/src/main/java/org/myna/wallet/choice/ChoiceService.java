package org.myna.wallet.choice;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.hash.Sha256;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.ChoiceRequests.ChoiceResponse;
import org.myna.wallet.choice.ChoiceRequests.ConfirmationResponse;
import org.myna.wallet.choice.ChoiceRequests.ReleaseResponse;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.provider.CorporateNumber;
import org.myna.wallet.provider.Provider;
import org.myna.wallet.registry.RegistryClient;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * DESIGN §6.2: the payment account that earns a resident's points is the one its provider confirmed. The resident
 * chooses a payment service and gets a short single-use binding code; the provider, authenticated as itself, confirms
 * the code with its own account reference and its account holder's name in kana, which the registry matches against
 * the resident's. A code relayed from a shared terminal or typed by shop staff therefore binds nobody else's account.
 */
@ApplicationScoped
public class ChoiceService {

    static final Duration BINDING_LIFETIME = Duration.ofMinutes(10);
    static final int MAX_ATTEMPTS = 3;
    /** Crockford's base32 without I, L, O, U: ten characters, 50 bits, typed or read aloud without ambiguity. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int CODE_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OperationTokens operationTokens;
    private final CampaignService campaigns;
    private final RegistryClient registry;

    private final AccessLogOutbox accessLog;

    public ChoiceService(OperationTokens operationTokens, CampaignService campaigns, RegistryClient registry, AccessLogOutbox accessLog) {
        this.accessLog = accessLog;
        this.operationTokens = operationTokens;
        this.campaigns = campaigns;
        this.registry = registry;
    }

    /**
     * The resident (token subject, never a request field) chooses one payment service for the campaign and receives
     * a binding code. Choosing again before a confirmation replaces the code; a confirmed choice stays. The operation
     * token is consumed in this transaction; the unique constraints settle every race.
     */
    @Transactional
    public ChoiceResponse choose(JsonWebToken token, String campaignId, CorporateNumber service, Idempotency.Ticket ticket) {
        String resident = token.getSubject();
        operationTokens.consume(token);
        CampaignService.Terms campaign = campaigns.openTerms(campaignId);
        Provider provider = Provider.byCorporateNumber(service.value());
        if (provider == null) {
            throw new Problem(422, "unknown-payment-service", "No payment service is registered under this corporate number.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        String code = newCode();
        try {
            PaymentChoice choice = PaymentChoice.find("resident = ?1 and campaignId = ?2", resident, campaign.id())
                    .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
            if (choice != null && PaymentChoice.CONFIRMED.equals(choice.status)) {
                throw Problem.conflict("payment-service-already-chosen", "A payment service was already chosen for this campaign; it cannot be changed.");
            }
            if (choice == null) {
                choice = new PaymentChoice();
                choice.campaignId = campaign.id();
                choice.resident = resident;
                choice.chosenAt = now;
                LedgerAccount.open(campaign.id(), LedgerAccount.RESIDENT, resident);
            }
            choice.providerId = provider.id;
            choice.status = PaymentChoice.PENDING;
            choice.bindingCodeHash = hash(code);
            choice.bindingExpiresAt = now.plus(BINDING_LIFETIME);
            choice.bindingAttempts = 0;
            choice.persistAndFlush();
            ChoiceResponse response = new ChoiceResponse(campaign.id(), provider.corporateNumber, PaymentChoice.PENDING, code,
                    choice.bindingExpiresAt.toString(), null, choice.chosenAt.toString());
            // The code is kept only as its hash: the idempotency record keeps the answer without it (shown once).
            ticket.complete(response, response.withoutCode());
            return response;
        } catch (Problem p) {
            throw p;
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_payment_choice_resident") || Constraints.violated(e, "uq_ledger_account_owner")) {
                throw Problem.conflict("payment-service-already-chosen", "A payment service was already chosen for this campaign; it cannot be changed.");
            }
            throw e;
        }
    }

    /** What the first look at a code found; the registry is asked outside any transaction. */
    private record Binding(long choiceId, String resident, Provider provider) {
    }

    /**
     * The provider confirms a binding code with its own account and the holder's name in kana. Refused, changing
     * nothing but the attempt count of a wrong name: an unknown code, another provider's code, one confirmed before,
     * expired or locked after {@value #MAX_ATTEMPTS} wrong names, an account bound and confirmed to someone else.
     */
    public ConfirmationResponse confirm(String providerClient, String code, String accountRef, String holderKana, Idempotency.Ticket ticket) {
        String codeHash = hash(code);
        Binding binding = QuarkusTransaction.requiringNew().call(() -> check(providerClient, codeHash, accountRef));
        // An attempt is spent before the registry is asked, in one conditional update: parallel guesses cannot
        // get more than MAX_ATTEMPTS names checked between them.
        boolean spent = QuarkusTransaction.requiringNew().call(() -> PaymentChoice.update(
                "bindingAttempts = bindingAttempts + 1 where id = ?1 and bindingAttempts < ?2", binding.choiceId(), MAX_ATTEMPTS) == 1);
        if (!spent) {
            throw locked();
        }
        if (!registry.holderNameMatches(binding.resident(), holderKana)) {
            throw new Problem(422, "holder-kana-mismatch", "The account holder's name is not the name of the resident who started this binding.");
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> bind(providerClient, codeHash, accountRef, binding, ticket));
        } catch (Problem p) {
            throw p;
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_payment_account") || Constraints.violated(e, "uq_payment_choice_account")) {
                throw Problem.conflict("payment-account-taken", "This payment account is bound to another person.");
            }
            throw e;
        }
    }

    private Binding check(String providerClient, String codeHash, String accountRef) {
        PaymentChoice choice = PaymentChoice.byBindingCode(codeHash);
        if (choice == null) {
            throw Problem.notFound("binding-unknown", "No binding was started with this code.");
        }
        Provider provider = Provider.findById(choice.providerId);
        if (!provider.ownerClient.equals(providerClient)) {
            throw new Problem(403, "binding-other-provider", "This binding was started for another payment service.");
        }
        refuseUnusable(choice);
        if (choice.bindingAttempts >= MAX_ATTEMPTS) {
            throw locked();
        }
        PaymentAccount account = PaymentAccount.of(provider.id, accountRef);
        if (account != null && !account.resident.equals(choice.resident) && confirmedElsewhere(account, choice.resident)) {
            throw Problem.conflict("payment-account-taken", "This payment account is bound to another person.");
        }
        return new Binding(choice.id, choice.resident, provider);
    }

    private static void refuseUnusable(PaymentChoice choice) {
        if (PaymentChoice.CONFIRMED.equals(choice.status)) {
            throw Problem.conflict("binding-already-confirmed", "This binding was confirmed already; a code is used once.");
        }
        if (!PaymentChoice.PENDING.equals(choice.status) || OffsetDateTime.now().isAfter(choice.bindingExpiresAt)) {
            throw new Problem(422, "binding-expired", "This binding code has expired; the resident can start a new binding.");
        }
    }

    private static Problem locked() {
        return new Problem(422, "binding-locked", "Too many wrong names for this binding; the resident can start a new binding.");
    }

    private ConfirmationResponse bind(String providerClient, String codeHash, String accountRef, Binding binding, Idempotency.Ticket ticket) {
        PaymentChoice choice = PaymentChoice.findById(binding.choiceId(), LockModeType.PESSIMISTIC_WRITE);
        if (choice == null || !codeHash.equals(choice.bindingCodeHash)) {
            throw Problem.notFound("binding-unknown", "No binding was started with this code.");
        }
        refuseUnusable(choice);
        OffsetDateTime now = OffsetDateTime.now();
        PaymentAccount account = PaymentAccount.of(binding.provider().id, accountRef);
        if (account == null) {
            account = new PaymentAccount();
            account.providerId = binding.provider().id;
            account.accountRef = accountRef;
            account.createdAt = now;
        } else if (!account.resident.equals(choice.resident)) {
            if (confirmedElsewhere(account, choice.resident)) {
                throw Problem.conflict("payment-account-taken", "This payment account is bound to another person.");
            }
            // Bound before by someone the provider never confirmed: the confirmed owner takes it; theirs earns nothing.
            for (PaymentChoice other : PaymentChoice.<PaymentChoice>list("paymentAccountId", account.id)) {
                other.paymentAccountId = null;
                other.status = PaymentChoice.UNCONFIRMED;
            }
            PaymentChoice.flush();
        }
        account.resident = choice.resident;
        account.persistAndFlush();
        choice.paymentAccountId = account.id;
        choice.status = PaymentChoice.CONFIRMED;
        choice.confirmedAt = now;
        choice.confirmedBy = providerClient;
        choice.persistAndFlush();
        // The provider now knows which resident holds this account: that is in her access log.
        accessLog.record(choice.resident, providerClient, Roles.PAYMENT_PROVIDER, AccessLogOutbox.UPDATE,
                "payment-binding-confirmation", "payment-account");
        ConfirmationResponse response = new ConfirmationResponse(choice.campaignId, binding.provider().corporateNumber, accountRef,
                PaymentChoice.CONFIRMED, now.toString());
        ticket.complete(response);
        return response;
    }

    /** Whether another resident's confirmed choice, in any campaign, holds this account. */
    private static boolean confirmedElsewhere(PaymentAccount account, String resident) {
        return PaymentChoice.count("paymentAccountId = ?1 and status = ?2 and resident <> ?3",
                account.id, PaymentChoice.CONFIRMED, resident) > 0;
    }

    /**
     * The provider releases a wrongly bound account with an audit reason: the choice stops earning (its resident may
     * start a binding again) and the account is free for its owner to bind. Points already earned stay where the ledger
     * put them; moving them is a correction by two auditors.
     */
    @Transactional
    public ReleaseResponse release(String providerClient, CorporateNumber service, String accountRef, String campaignId,
                                   String reason, Idempotency.Ticket ticket) {
        String campaign = campaigns.idOrDefault(campaignId);
        List<PaymentAccount> accounts = PaymentAccount.find("accountRef = ?1 and providerId in (select p.id from Provider p "
                + "where p.ownerClient = ?2" + (service == null ? "" : " and p.corporateNumber = ?3") + ")",
                service == null ? new Object[]{accountRef, providerClient} : new Object[]{accountRef, providerClient, service.value()}).list();
        if (accounts.size() > 1) {
            throw Problem.invalidField("paymentService", "payment-service-required", "You run several payment services: name the one meant.");
        }
        PaymentChoice choice = accounts.isEmpty() ? null : PaymentChoice.<PaymentChoice>find("paymentAccountId = ?1 and campaignId = ?2",
                accounts.get(0).id, campaign).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (choice == null) {
            throw new Problem(422, "unknown-payment-account", "No resident chose this account at your payment service for this campaign.");
        }
        PaymentAccount account = accounts.get(0);
        PaymentRelease release = new PaymentRelease();
        release.campaignId = campaign;
        release.resident = choice.resident;
        release.providerId = account.providerId;
        release.accountRef = account.accountRef;
        release.reason = reason;
        release.releasedBy = providerClient;
        release.releasedAt = OffsetDateTime.now();
        release.persist();
        accessLog.record(choice.resident, providerClient, Roles.PAYMENT_PROVIDER, AccessLogOutbox.UPDATE,
                "payment-binding-release", "payment-account");
        choice.paymentAccountId = null;
        choice.status = PaymentChoice.UNCONFIRMED;
        choice.bindingCodeHash = null;
        choice.flush();
        if (PaymentChoice.count("paymentAccountId", account.id) == 0) {
            account.delete();
        }
        ReleaseResponse response = new ReleaseResponse(campaign, accountRef, "released");
        ticket.complete(response);
        return response;
    }

    static String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** Codes are kept only as this hash (of the code as printed: the resource normalises what was typed). */
    static String hash(String code) {
        return Sha256.hex(code);
    }
}
