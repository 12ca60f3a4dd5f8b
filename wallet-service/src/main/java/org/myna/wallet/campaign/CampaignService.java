package org.myna.wallet.campaign;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.campaign.CampaignRequests.CampaignReport;
import org.myna.wallet.campaign.CampaignRequests.CampaignResponse;
import org.myna.wallet.campaign.CampaignRequests.CreateCampaign;
import org.myna.wallet.campaign.CampaignRequests.RuleReport;
import org.myna.wallet.campaign.CampaignRequests.RuleSpec;
import org.myna.wallet.config.WalletConfig;
import org.myna.wallet.ledger.LedgerAccount;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

@ApplicationScoped
public class CampaignService {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Set<String> KNOWN_RULES = Set.of(CampaignRule.CARD_ACQUISITION, CampaignRule.INSURANCE_LINK, CampaignRule.PUBLIC_FUND_ACCOUNT);
    /** No campaign needs more; it also keeps every sum far from overflowing a long. */
    static final long MAX_BUDGET = 10_000_000_000_000L;

    private final WalletConfig config;
    private final EntityManager em;
    private final Map<String, Terms> remembered = new ConcurrentHashMap<>();

    public CampaignService(WalletConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    public String idOrDefault(String campaignId) {
        if (campaignId == null) {
            return config.defaultCampaign();
        }
        if (!ID.matcher(campaignId).matches()) {
            throw Problem.invalidField("campaign", "invalid-campaign", "A campaign id is lowercase letters, digits and '-'.");
        }
        return campaignId;
    }

    public Campaign require(String campaignId) {
        Campaign c = Campaign.findById(campaignId);
        if (c == null) {
            throw Problem.notFound("unknown-campaign", "No such campaign.");
        }
        return c;
    }

    /** What a payment or a grant needs of a rule: percent for percent-back, amount for fixed, the cap per person. */
    public record RuleTerms(String rule, String kind, Integer percent, Long amount, long cap) {
        public boolean fixed() {
            return CampaignRule.FIXED.equals(kind);
        }
    }

    /** A campaign's period and rules: fixed when it is created (there is no update), so they can be remembered. */
    public record Terms(String id, OffsetDateTime startsAt, OffsetDateTime endsAt, Map<String, RuleTerms> rules) {
        public boolean openAt(OffsetDateTime now) {
            return !now.isBefore(startsAt) && now.isBefore(endsAt);
        }
    }

    /**
     * The campaign's terms, read once per process, so that charges and redemptions read no campaign or rule row.
     * Only campaigns that exist are remembered, so the map cannot grow past the campaign table.
     */
    public Terms terms(String campaignId) {
        Terms known = remembered.get(campaignId);
        if (known != null) {
            return known;
        }
        Campaign c = require(campaignId);
        Map<String, RuleTerms> rules = new HashMap<>();
        CampaignRule.<CampaignRule>list("campaignId", c.id).forEach(r -> rules.put(r.rule, new RuleTerms(r.rule, r.kind, r.percent, r.amount, r.cap)));
        Terms terms = new Terms(c.id, c.startsAt, c.endsAt, Map.copyOf(rules));
        remembered.put(c.id, terms);
        return terms;
    }

    public Terms openTerms(String campaignId) {
        Terms t = terms(campaignId);
        if (!t.openAt(OffsetDateTime.now())) {
            throw new Problem(422, "campaign-closed", "The campaign is not open at this time.");
        }
        return t;
    }

    /** Validates the whole request before anything is written, so bad input changes nothing. */
    public CreateCampaign validate(CreateCampaign body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        if (body.id() == null || !ID.matcher(body.id()).matches()) {
            throw Problem.invalidField("id", "invalid-campaign", "A campaign id is 1 to 64 lowercase letters, digits and '-'.");
        }
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            throw Problem.invalidField("name", "invalid-name", "A name of 1 to 200 characters is required.");
        }
        if (body.budget() == null || body.budget() <= 0 || body.budget() > MAX_BUDGET) {
            throw Problem.invalidField("budget", "invalid-budget", "The budget is a positive number of points up to " + MAX_BUDGET + ".");
        }
        OffsetDateTime start = time("startsAt", body.startsAt());
        OffsetDateTime end = time("endsAt", body.endsAt());
        if (!end.isAfter(start)) {
            throw Problem.invalidField("endsAt", "invalid-period", "The campaign must end after it starts.");
        }
        if (body.rules() == null || body.rules().isEmpty()) {
            throw Problem.invalidField("rules", "invalid-rule", "A campaign has at least one rule.");
        }
        Set<String> seen = new HashSet<>();
        for (RuleSpec r : body.rules()) {
            if (r == null || r.rule() == null || !KNOWN_RULES.contains(r.rule()) || !seen.add(r.rule())) {
                throw Problem.invalidField("rules", "invalid-rule", "Rules are distinct among " + KNOWN_RULES + ".");
            }
            if (CampaignRule.FIXED.equals(r.kind())) {
                if (r.amount() == null || r.amount() <= 0 || r.amount() > 10_000_000 || r.percent() != null
                        || (r.cap() != null && !r.cap().equals(r.amount()))) {
                    throw Problem.invalidField("rules", "invalid-rule", "A fixed rule has an amount of 1 to 10,000,000 points.");
                }
            } else if (CampaignRule.PERCENT_BACK.equals(r.kind())) {
                if (r.percent() == null || r.percent() < 1 || r.percent() > 100 || r.cap() == null || r.cap() <= 0
                        || r.cap() > 10_000_000 || r.amount() != null) {
                    throw Problem.invalidField("rules", "invalid-rule", "A percent-back rule has a percent of 1 to 100 and a cap of 1 to 10,000,000.");
                }
            } else {
                throw Problem.invalidField("rules", "invalid-rule", "A rule's kind is fixed or percent-back.");
            }
        }
        return body;
    }

    @Transactional
    public CampaignResponse create(String auditor, CreateCampaign body, Idempotency.Ticket ticket) {
        Campaign c = new Campaign();
        c.id = body.id();
        c.name = body.name();
        c.budget = body.budget();
        c.granted = 0;
        c.startsAt = OffsetDateTime.parse(body.startsAt());
        c.endsAt = OffsetDateTime.parse(body.endsAt());
        c.createdBy = auditor;
        c.createdAt = OffsetDateTime.now();
        try {
            c.persistAndFlush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "pk_campaign") || Constraints.violated(e, "primary key")) {
                throw Problem.conflict("campaign-exists", "A campaign with this id exists.");
            }
            throw e;
        }
        for (RuleSpec spec : body.rules()) {
            CampaignRule r = new CampaignRule();
            r.campaignId = c.id;
            r.rule = spec.rule();
            r.kind = spec.kind();
            r.amount = spec.amount();
            r.percent = spec.percent();
            r.cap = CampaignRule.FIXED.equals(spec.kind()) ? spec.amount() : spec.cap();
            r.persist();
        }
        LedgerAccount.open(c.id, LedgerAccount.BUDGET, LedgerAccount.BUDGET);
        // Where authorised redemptions hold their points until captured, voided or expired (V11)
        LedgerAccount.open(c.id, LedgerAccount.HOLD, LedgerAccount.HOLDS_OWNER);
        CampaignResponse response = describe(c);
        ticket.complete(response);
        return response;
    }

    @Transactional
    public CampaignResponse describe(String campaignId) {
        return describe(require(campaignId));
    }

    private CampaignResponse describe(Campaign c) {
        List<RuleSpec> rules = new ArrayList<>();
        for (CampaignRule r : CampaignRule.<CampaignRule>list("campaignId = ?1 order by rule", c.id)) {
            rules.add(new RuleSpec(r.rule, r.kind, r.amount, r.percent, r.cap));
        }
        return new CampaignResponse(c.id, c.name, c.budget, c.granted, c.startsAt.toString(), c.endsAt.toString(), rules);
    }

    /** Granted vs budget from the ledger itself: net of corrections, per rule, and how many people received points. */
    @Transactional
    public CampaignReport report(String campaignId) {
        Campaign c = require(campaignId);
        LedgerAccount budget = LedgerAccount.budgetOf(c.id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select t.rule,
                               sum(case when t.debit_account_id = ?1 then t.amount else -t.amount end),
                               count(distinct case when t.debit_account_id = ?1 then t.credit_account_id else t.debit_account_id end)
                        from {h-schema}transfer t
                        where t.debit_account_id = ?1 or t.credit_account_id = ?1
                        group by t.rule order by t.rule""")
                .setParameter(1, budget.id).getResultList();
        List<RuleReport> rules = new ArrayList<>();
        for (Object[] row : rows) {
            rules.add(new RuleReport(String.valueOf(row[0]), ((Number) row[1]).longValue(), ((Number) row[2]).longValue()));
        }
        long people = ((Number) em.createNativeQuery("""
                        select count(*) from (
                          select x.account, sum(x.net) as total from (
                            select case when t.debit_account_id = ?1 then t.credit_account_id else t.debit_account_id end as account,
                                   case when t.debit_account_id = ?1 then t.amount else -t.amount end as net
                            from {h-schema}transfer t where t.debit_account_id = ?1 or t.credit_account_id = ?1) x
                          group by x.account) g
                        where g.total > 0""")
                .setParameter(1, budget.id).getSingleResult()).longValue();
        long granted = ((Number) em.createNativeQuery("select granted from {h-schema}campaign where id = ?1")
                .setParameter(1, c.id).getSingleResult()).longValue();
        return new CampaignReport(c.id, c.budget, granted, c.budget - granted, people, rules);
    }

    private static OffsetDateTime time(String field, String value) {
        try {
            if (value == null) {
                throw new DateTimeParseException("missing", "", 0);
            }
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw Problem.invalidField(field, "invalid-time", "An ISO-8601 time with offset is required.");
        }
    }
}
