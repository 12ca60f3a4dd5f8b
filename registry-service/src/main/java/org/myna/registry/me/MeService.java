package org.myna.registry.me;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.card.Card;
import org.myna.registry.accesslog.AccessLogFilter;
import org.myna.registry.accesslog.AccessLogQuery;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.outbox.Outbox;
import org.myna.registry.resident.Address;
import org.myna.registry.resident.NumberVault;
import org.myna.registry.resident.Resident;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** What a resident sees and does about themselves; the resident is always the token's, never a parameter. */
@ApplicationScoped
public class MeService {

    static final String REGISTER_ACCOUNT = "register-public-fund-account";

    private final NumberVault vault;
    private final OperationTokens operationTokens;
    private final AccessLog accessLog;
    private final AccessLogQuery accessLogs;
    private final EntityManager em;
    private final Outbox outbox;

    public MeService(NumberVault vault, OperationTokens operationTokens, AccessLog accessLog, AccessLogQuery accessLogs,
                     EntityManager em, Outbox outbox) {
        this.outbox = outbox;
        this.accessLogs = accessLogs;
        this.vault = vault;
        this.operationTokens = operationTokens;
        this.accessLog = accessLog;
        this.em = em;
    }

    /**
     * {@code card}: her newest card's status ({@code none} without one); {@code cardSuspended}: suspended by her or a
     * clerk (the status stays what it was); {@code cardExpiresOn}: the card's last valid day (null without a card).
     */
    public record Me(String number, String familyName, String givenName, String familyNameKana, String givenNameKana,
                     LocalDate dateOfBirth, String sex, Address address, String status, String card,
                     boolean cardSuspended, LocalDate cardExpiresOn) {
    }

    public record AccountView(String bankCode, String branchCode, String accountType, String accountNumber,
                              String holderKana, OffsetDateTime registeredAt) {
        static AccountView of(PublicFundAccount a) {
            return new AccountView(a.bankCode, a.branchCode, a.accountType, a.accountNumber, a.holderKana, a.registeredAt);
        }
    }

    @Transactional
    public Me me(long residentId) {
        Resident r = Resident.findById(residentId);
        Card card = em.createQuery("from Card c where c.residentId = :r order by c.issuedAt desc", Card.class)
                .setParameter("r", residentId).setMaxResults(1).getResultStream().findFirst().orElse(null);
        return new Me(vault.decrypt(r.numberCipher).digits(), r.familyName, r.givenName, r.familyNameKana, r.givenNameKana,
                r.dateOfBirth, r.sex, new Address(r.postalCode, r.prefecture, r.municipality, r.addressLine), r.status,
                card == null ? "none" : card.status, card != null && card.suspended, card == null ? null : card.expiresOn);
    }

    /** One page of the resident's own log, newest first; the filters and cursor were checked by the caller. */
    @Transactional
    public AccessLogQuery.Page accessLog(long residentId, AccessLogFilter filter, String cursor) {
        return accessLogs.page(residentId, filter, cursor);
    }

    @Transactional
    public AccountView account(long residentId) {
        PublicFundAccount account = PublicFundAccount.findById(residentId);
        if (account == null) {
            throw Problem.notFound("no-public-fund-account", "You have not registered a public-fund account.");
        }
        return AccountView.of(account);
    }

    /**
     * Registers (or replaces) the token holder's account. The operation token is consumed in this transaction, so a
     * refused registration leaves it usable and a successful one spends it.
     */
    @Transactional
    public AccountView registerAccount(JsonWebToken operationToken, PublicFundAccountRequest request) {
        long residentId = operationTokens.consume(operationToken, REGISTER_ACCOUNT);
        Resident r = em.find(Resident.class, residentId, LockModeType.PESSIMISTIC_WRITE);
        if (!r.isActive()) {
            throw Problem.conflict("resident-deceased", "The resident is deceased.");
        }
        if (!KanaNames.sameName(request.holderKana(), r.familyNameKana + r.givenNameKana)) {
            throw new Problem(422, "holder-kana-mismatch", "The account holder's name is not the resident's name in kana.");
        }
        long others = PublicFundAccount.count("bankCode = ?1 and branchCode = ?2 and accountType = ?3 and accountNumber = ?4 and residentId <> ?5",
                request.bankCode(), request.branchCode(), request.accountType(), request.accountNumber(), residentId);
        if (others > 0) {
            throw accountTaken();
        }
        OffsetDateTime now = OffsetDateTime.now();
        PublicFundAccount account = PublicFundAccount.findById(residentId);
        boolean created = account == null;
        if (created) {
            account = new PublicFundAccount();
            account.residentId = residentId;
            account.registeredAt = now;
        }
        account.bankCode = request.bankCode();
        account.branchCode = request.branchCode();
        account.accountType = request.accountType();
        account.accountNumber = request.accountNumber();
        account.holderKana = request.holderKana();
        account.updatedAt = now;
        if (created) {
            account.persist();
        }
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (Constraints.violated(e, "uq_public_fund_account_account")) {
                throw accountTaken();
            }
            throw e;
        }
        accessLog.record(residentId, created ? AccessLog.CREATE : AccessLog.UPDATE, "public-fund-account-registration", "publicFundAccount");
        if (created) {
            // The wallet's grant for this rule is answered from the facts this event carries (a replacement changes none).
            outbox.publishEligibilityFacts(residentId);
        }
        return AccountView.of(account);
    }

    private static Problem accountTaken() {
        return Problem.conflict("account-registered-to-another", "This account is registered to another resident.");
    }
}
