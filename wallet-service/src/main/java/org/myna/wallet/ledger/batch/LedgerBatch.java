package org.myna.wallet.ledger.batch;

import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.idempotency.IdempotencyRows;
import org.myna.platform.persistence.PooledIds;
import org.myna.platform.problem.Problem;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.wallet.application.ApplicationRequests.ApplicationResponse;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.choice.PaymentChoice;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.ledger.Transfer;
import org.myna.wallet.payment.PaymentRequests.ChargeResponse;
import org.myna.wallet.payment.PaymentRequests.RedemptionResponse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One transaction of the ledger writer, in plain JDBC. Its order is fixed so that batches of several replicas cannot
 * deadlock on the rows every request shares:
 * <ol>
 *   <li>in memory: a key repeated inside the batch is settled by its first request (one effect, the same answer);</li>
 *   <li>reads without locks: which resident a provider's account names, which account a merchant has;</li>
 *   <li>locks, each set in id order: the campaigns' rows, the shared accounts (budgets, merchants), the residents'
 *       accounts, the residents' percent-back grant rows ({@code SELECT ... FOR UPDATE});</li>
 *   <li>each request in order against those locked values: its idempotency record and, for a grant, its operation token
 *       and grant row are inserted with {@code ON CONFLICT DO NOTHING}, so a reused key, a spent token or a second grant
 *       refuses that request only and no driver message naming the values is ever produced;</li>
 *   <li>the effects, written once: the transfers (one JDBC batch), each touched account's and campaign's net change
 *       (conditional updates, which with the CHECK constraints still guard every limit), the grants' answers, and the
 *       residents' access-log rows of the charges and redemptions that took effect (a provider learns the person's
 *       points from each answer): in the batch's transaction, so a row exists exactly when its operation committed.</li>
 * </ol>
 * The limits of DESIGN §5 are decided in step 4 from the locked rows and guaranteed again by the conditional updates
 * and constraints of step 5: a batch that would break one fails as a whole and its requests run again one by one.
 */
final class LedgerBatch {

    static final String LEDGER_CLIENT = "wallet";
    /** What a provider learns of the resident from a charge or a redemption answer (access log). */
    static final String PAYMENT_FIELDS = "points,balance";

    /** The SQL of a batch, qualified with the service's schema once. */
    static final class Statements {
        final IdempotencyRows idempotency;
        final String residentOf;
        final String residentOfService;
        final String merchants;
        final String budgetAccount;
        final String lockCampaigns;
        final String lockAccounts;
        final String lockResidents;
        final String lockGrants;
        final String consumeToken;
        final String insertGrant;
        final String insertTransfer;
        final String updateAccount;
        final String updateGrant;
        final String updateCampaign;
        final String insertAccessLog;
        final String schema;

        Statements(String schema) {
            this.schema = schema;
            String s = schema + ".";
            idempotency = new IdempotencyRows(schema);
            String owned = "select pc.resident, pc.status from " + s + "payment_account pa join " + s + "provider p on p.id = pa.provider_id "
                    + "left join " + s + "payment_choice pc on pc.payment_account_id = pa.id and pc.campaign_id = ? "
                    + "where pa.account_ref = ? and p.owner_client = ?";
            residentOf = owned;
            residentOfService = owned + " and p.corporate_number = ?";
            merchants = "select account_id from " + s + "merchant where corporate_number = ?";
            budgetAccount = "select id from " + s + "ledger_account where campaign_id = ? and kind = 'budget'";
            lockCampaigns = "select id, budget, granted from " + s + "campaign where id in (%s) order by id for update";
            lockAccounts = "select id, kind, balance from " + s + "ledger_account where id in (%s) order by id for update";
            lockResidents = "select id, owner, balance from " + s + "ledger_account where kind = 'resident' and campaign_id = ? "
                    + "and owner in (%s) order by id for update";
            lockGrants = "select id, resident, granted, cap from " + s + "grant_record where campaign_id = ? and rule = ? "
                    + "and resident in (%s) order by id for update";
            consumeToken = "insert into " + s + "consumed_operation_token (jti, consumed_at) values (?, ?) on conflict do nothing";
            insertGrant = "insert into " + s + "grant_record (id, campaign_id, resident, rule, granted, cap, transfer_id, created_at) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
            insertTransfer = "insert into " + s + "transfer (id, client_id, transfer_key, debit_account_id, credit_account_id, amount, kind, "
                    + "rule, reference, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            updateAccount = "update " + s + "ledger_account set balance = balance + ?, debits = debits + ?, credits = credits + ? "
                    + "where id = ? and (kind = 'budget' or balance + ? >= 0)";
            updateGrant = "update " + s + "grant_record set granted = granted + ? where id = ? and granted + ? <= cap";
            updateCampaign = "update " + s + "campaign set granted = granted + ? where id = ? and granted + ? <= budget";
            insertAccessLog = "insert into " + s + "access_log_outbox (link_code, client_id, role, action, purpose, fields, at) "
                    + "values (?, ?, ?, ?, ?, ?, ?)";
        }
    }

    /** Ids from the sequences Hibernate uses too (allocation size 50, pooled-lo); one set per writer thread. */
    static final class Ids {
        PooledIds transfers;
        PooledIds grants;
        PooledIds records;

        void init(String schema) {
            if (transfers == null) {
                transfers = new PooledIds(schema + ".transfer_seq", 50);
                grants = new PooledIds(schema + ".grant_record_seq", 50);
                records = new PooledIds(schema + ".idempotency_record_seq", 50);
            }
        }
    }

    /** A campaign's budget account never changes: looked up once per writer. */
    static final class BudgetAccounts {
        final Map<String, Long> byCampaign = new HashMap<>();
    }

    private static final class CampaignRow {
        final long budget;
        long granted;
        long delta;

        CampaignRow(long budget, long granted) {
            this.budget = budget;
            this.granted = granted;
        }
    }

    private static final class AccountRow {
        final long id;
        final boolean budget;
        long balance;
        long debits;
        long credits;

        AccountRow(long id, boolean budget, long balance) {
            this.id = id;
            this.budget = budget;
            this.balance = balance;
        }

        boolean dirty() {
            return debits != 0 || credits != 0;
        }
    }

    private static final class GrantRow {
        final long id;
        final long cap;
        long granted;
        long delta;

        GrantRow(long id, long granted, long cap) {
            this.id = id;
            this.granted = granted;
            this.cap = cap;
        }
    }

    private record TransferRow(long id, String clientId, String key, long debit, long credit, long amount, String kind, String rule,
                               String reference) {
    }

    /** A row of the resident's access log (platform AccessLogOutbox's table), written with the batch. */
    private record AccessRow(String linkCode, String clientId, String role, String action, String purpose, String fields) {
    }

    /** What step 2 found for a charge or redemption: its resident, or why it is refused. */
    private record Resolved(String resident, Long merchantAccount, Problem refusal) {
    }

    private final Connection c;
    private final Statements sql;
    private final Ids ids;
    private final BudgetAccounts budgetAccounts;
    private final Idempotency idempotency;
    private final List<Runnable> answers;
    private final Instant now = Instant.now();
    private final OffsetDateTime nowOffset = OffsetDateTime.now();

    private final Map<LedgerCommand, LedgerOutcome> outcomes = new HashMap<>();
    private final Map<LedgerCommand, Resolved> resolved = new HashMap<>();
    private final Map<String, CampaignRow> campaigns = new HashMap<>();
    private final Map<Long, AccountRow> accounts = new HashMap<>();
    private final Map<String, AccountRow> residentAccounts = new HashMap<>();
    private final Map<String, GrantRow> grants = new HashMap<>();
    private final List<TransferRow> transfers = new ArrayList<>();
    private final Set<String> tokens = new HashSet<>();
    private final Map<Long, LedgerOutcome> grantAnswers = new LinkedHashMap<>();
    private final List<AccessRow> accessLog = new ArrayList<>();

    LedgerBatch(Connection c, Statements sql, Ids ids, BudgetAccounts budgetAccounts, Idempotency idempotency, List<Runnable> answers) {
        this.c = c;
        this.sql = sql;
        this.ids = ids;
        this.budgetAccounts = budgetAccounts;
        this.idempotency = idempotency;
        this.answers = answers;
        ids.init(sql.schema);
    }

    void execute(List<LedgerCommand> batch) throws SQLException {
        // 1. A key repeated inside the batch: only its first request runs.
        Map<String, LedgerCommand> first = new HashMap<>();
        Map<LedgerCommand, LedgerCommand> repeats = new LinkedHashMap<>();
        List<LedgerCommand> work = new ArrayList<>();
        for (LedgerCommand command : batch) {
            LedgerCommand earlier = first.putIfAbsent(command.key().id(), command);
            if (earlier == null) {
                work.add(command);
            } else {
                repeats.put(command, earlier);
            }
        }
        // 2. Reads that need no lock.
        resolve(work);
        // 3. Locks, each kind in id order.
        lock(work);
        // 4. Each request in order.
        try (PreparedStatement record = sql.idempotency.prepareInsert(c);
             PreparedStatement token = c.prepareStatement(sql.consumeToken);
             PreparedStatement grant = c.prepareStatement(sql.insertGrant)) {
            for (LedgerCommand command : work) {
                LedgerOutcome outcome;
                if (command instanceof LedgerCommand.Grant g) {
                    outcome = grant(g, record, token, grant);
                } else if (command instanceof LedgerCommand.Charge ch) {
                    outcome = charge(ch, record);
                } else if (command instanceof LedgerCommand.Redemption r) {
                    outcome = redemption(r, record);
                } else {
                    outcome = refusal((LedgerCommand.Refusal) command, record, token);
                }
                outcomes.put(command, outcome);
            }
        }
        // 5. The effects, once.
        write();
        for (LedgerCommand command : work) {
            LedgerOutcome outcome = outcomes.get(command);
            answers.add(() -> command.result().complete(outcome));
        }
        repeats.forEach((repeat, earlier) -> {
            LedgerOutcome outcome = outcomes.get(earlier);
            LedgerOutcome same;
            if (outcome.keyTaken() || (repeat.key().hash().equals(earlier.key().hash()) && repeat.key().endpoint().equals(earlier.key().endpoint()))) {
                same = outcome;
            } else {
                same = LedgerOutcome.refused(Problem.conflict("idempotency-key-reused", "This Idempotency-Key was used with a different request."), null);
            }
            answers.add(() -> repeat.result().complete(same));
        });
    }

    private void resolve(List<LedgerCommand> work) throws SQLException {
        Map<String, Long> merchantAccounts = new HashMap<>();
        try (PreparedStatement plain = c.prepareStatement(sql.residentOf);
             PreparedStatement withService = c.prepareStatement(sql.residentOfService);
             PreparedStatement merchant = c.prepareStatement(sql.merchants)) {
            for (LedgerCommand command : work) {
                if (command instanceof LedgerCommand.Redemption r) {
                    Long account = merchantAccounts.containsKey(r.merchant()) ? merchantAccounts.get(r.merchant()) : merchantAccount(merchant, r.merchant());
                    merchantAccounts.put(r.merchant(), account);
                    if (account == null) {
                        resolved.put(r, new Resolved(null, null,
                                new Problem(422, "unknown-merchant", "No merchant is registered under this corporate number.")));
                        continue;
                    }
                    resolved.put(r, residentOf(plain, withService, r.providerClient(), r.service(), r.accountRef(), r.campaignId(), account));
                } else if (command instanceof LedgerCommand.Charge ch) {
                    resolved.put(ch, residentOf(plain, withService, ch.providerClient(), ch.service(), ch.accountRef(), ch.campaignId(), null));
                }
            }
        }
    }

    private Long merchantAccount(PreparedStatement merchant, String corporateNumber) throws SQLException {
        merchant.setString(1, corporateNumber);
        try (ResultSet rs = merchant.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** The resident whose confirmed choice names this account at one of the provider's services (DESIGN §6.2). */
    private Resolved residentOf(PreparedStatement plain, PreparedStatement withService, String providerClient, String service,
                                String accountRef, String campaignId, Long merchantAccount) throws SQLException {
        PreparedStatement q = service == null ? plain : withService;
        q.setString(1, campaignId);
        q.setString(2, accountRef);
        q.setString(3, providerClient);
        if (service != null) {
            q.setString(4, service);
        }
        List<String[]> rows = new ArrayList<>(1);
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        if (rows.size() > 1) {
            return new Resolved(null, null, Problem.invalidField("paymentService", "payment-service-required",
                    "You run several payment services: name the one meant."));
        }
        if (rows.isEmpty() || rows.get(0)[0] == null) {
            return new Resolved(null, null, new Problem(422, "unknown-payment-account",
                    "No resident chose this account at your payment service for this campaign."));
        }
        if (!PaymentChoice.CONFIRMED.equals(rows.get(0)[1])) {
            return new Resolved(null, null, Problem.conflict("payment-account-unconfirmed",
                    "This account's binding was never confirmed by your payment service; confirm the resident's binding code first."));
        }
        return new Resolved(rows.get(0)[0], merchantAccount, null);
    }

    private String resident(LedgerCommand command) {
        if (command instanceof LedgerCommand.Grant g) {
            return g.resident();
        }
        Resolved r = resolved.get(command);
        return r == null || r.refusal() != null ? null : r.resident();
    }

    private void lock(List<LedgerCommand> work) throws SQLException {
        // Campaigns whose granted total may move: fixed grants and charges.
        Set<String> campaignIds = new TreeSet<>();
        Set<Long> shared = new TreeSet<>();
        Map<String, Set<String>> residentsByCampaign = new TreeMap<>();
        Map<String, Set<String>> chargeResidents = new TreeMap<>();
        Map<String, String> chargeRule = new HashMap<>();
        for (LedgerCommand command : work) {
            String resident = resident(command);
            if (resident == null) {
                continue;
            }
            residentsByCampaign.computeIfAbsent(command.campaignId(), k -> new TreeSet<>()).add(resident);
            if (command instanceof LedgerCommand.Grant g && g.fixed() || command instanceof LedgerCommand.Charge) {
                campaignIds.add(command.campaignId());
            }
            if (command instanceof LedgerCommand.Charge ch) {
                chargeResidents.computeIfAbsent(ch.campaignId() + '\n' + ch.rule(), k -> new TreeSet<>()).add(resident);
                chargeRule.put(ch.campaignId() + '\n' + ch.rule(), ch.rule());
            }
            if (command instanceof LedgerCommand.Redemption) {
                shared.add(resolved.get(command).merchantAccount());
            }
        }
        if (!campaignIds.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement(sql.lockCampaigns.formatted(marks(campaignIds.size())))) {
                int i = 1;
                for (String id : campaignIds) {
                    q.setString(i++, id);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        campaigns.put(rs.getString(1), new CampaignRow(rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            for (String id : campaignIds) {
                Long budget = budgetAccount(id);
                if (budget != null) {
                    shared.add(budget);
                }
            }
        }
        if (!shared.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement(sql.lockAccounts.formatted(marks(shared.size())))) {
                int i = 1;
                for (Long id : shared) {
                    q.setLong(i++, id);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        accounts.put(id, new AccountRow(id, LedgerAccount.BUDGET.equals(rs.getString(2)), rs.getLong(3)));
                    }
                }
            }
        }
        // Residents' accounts: ordered by id within a campaign, campaigns in id order.
        for (Map.Entry<String, Set<String>> e : residentsByCampaign.entrySet()) {
            try (PreparedStatement q = c.prepareStatement(sql.lockResidents.formatted(marks(e.getValue().size())))) {
                q.setString(1, e.getKey());
                int i = 2;
                for (String resident : e.getValue()) {
                    q.setString(i++, resident);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        AccountRow a = new AccountRow(rs.getLong(1), false, rs.getLong(3));
                        accounts.put(a.id, a);
                        residentAccounts.put(e.getKey() + '\n' + rs.getString(2), a);
                    }
                }
            }
        }
        for (Map.Entry<String, Set<String>> e : chargeResidents.entrySet()) {
            String campaign = e.getKey().substring(0, e.getKey().indexOf('\n'));
            String rule = chargeRule.get(e.getKey());
            try (PreparedStatement q = c.prepareStatement(sql.lockGrants.formatted(marks(e.getValue().size())))) {
                q.setString(1, campaign);
                q.setString(2, rule);
                int i = 3;
                for (String resident : e.getValue()) {
                    q.setString(i++, resident);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        grants.put(e.getKey() + '\n' + rs.getString(2), new GrantRow(rs.getLong(1), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
        }
    }

    private Long budgetAccount(String campaignId) throws SQLException {
        Long known = budgetAccounts.byCampaign.get(campaignId);
        if (known != null) {
            return known;
        }
        try (PreparedStatement q = c.prepareStatement(sql.budgetAccount)) {
            q.setString(1, campaignId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long id = rs.getLong(1);
                budgetAccounts.byCampaign.put(campaignId, id);
                return id;
            }
        }
    }

    // ---- step 4 ----

    private LedgerOutcome grant(LedgerCommand.Grant g, PreparedStatement record, PreparedStatement token, PreparedStatement grant) throws SQLException {
        long recordId = ids.records.next(c);
        LedgerCommand.Key k = g.key();
        if (!IdempotencyRows.reserve(record, recordId, k.scope(), k.key(), k.endpoint(), k.hash(), null, null, now)) {
            return LedgerOutcome.taken();
        }
        // The token is spent by this attempt whatever its answer (a refused attempt spends it too).
        boolean fresh = tokens.add(g.jti());
        if (fresh) {
            token.setString(1, g.jti());
            token.setObject(2, nowOffset);
            fresh = token.executeUpdate() == 1;
        }
        if (!fresh) {
            return refuseGrant(recordId, Problem.conflict("operation-token-used", "This operation token was already used; authenticate again."));
        }
        AccountRow account = residentAccounts.get(g.campaignId() + '\n' + g.resident());
        if (account == null) {
            return refuseGrant(recordId, new Problem(422, "no-payment-service", "Choose a payment service for this campaign first."));
        }
        CampaignRow campaign = campaigns.get(g.campaignId());
        AccountRow budget = g.fixed() ? accounts.get(budgetAccounts.byCampaign.get(g.campaignId())) : null;
        if (g.fixed() && (campaign == null || budget == null)) {
            return refuseGrant(recordId, Problem.notFound("unknown-campaign", "No such campaign."));
        }
        if (g.fixed() && campaign.granted + g.amount() > campaign.budget) {
            return refuseGrant(recordId, Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant."));
        }
        Long transferId = g.fixed() ? ids.transfers.next(c) : null;
        grant.setLong(1, ids.grants.next(c));
        grant.setString(2, g.campaignId());
        grant.setString(3, g.resident());
        grant.setString(4, g.rule());
        grant.setLong(5, g.fixed() ? g.amount() : 0);
        grant.setLong(6, g.cap());
        if (transferId == null) {
            grant.setNull(7, java.sql.Types.BIGINT);
        } else {
            grant.setLong(7, transferId);
        }
        grant.setObject(8, nowOffset);
        if (grant.executeUpdate() != 1) {
            return refuseGrant(recordId, Problem.conflict("already-granted", "Points for this rule were already granted to you."));
        }
        if (g.fixed()) {
            campaign.granted += g.amount();
            campaign.delta += g.amount();
            move(budget, account, g.amount());
            transfers.add(new TransferRow(transferId, LEDGER_CLIENT, "grant:" + g.campaignId() + ":" + g.rule() + ":" + g.resident(),
                    budget.id, account.id, g.amount(), Transfer.GRANT, g.rule(), "application"));
        }
        String body = idempotency.json(new ApplicationResponse(g.campaignId(), g.rule(), g.fixed() ? "granted" : "eligible",
                g.fixed() ? g.amount() : 0, account.balance, transferId));
        LedgerOutcome outcome = LedgerOutcome.answered(201, body);
        grantAnswers.put(recordId, outcome);
        return outcome;
    }

    private LedgerOutcome refusal(LedgerCommand.Refusal r, PreparedStatement record, PreparedStatement token) throws SQLException {
        if (r.jti() != null && tokens.add(r.jti())) {
            token.setString(1, r.jti());
            token.setObject(2, nowOffset);
            token.executeUpdate();
        }
        return refuse(r, record, r.problem());
    }

    private LedgerOutcome refuseGrant(long recordId, Problem p) {
        LedgerOutcome outcome = LedgerOutcome.refused(p, idempotency.refusalJson(p));
        grantAnswers.put(recordId, outcome);
        return outcome;
    }

    private LedgerOutcome charge(LedgerCommand.Charge ch, PreparedStatement record) throws SQLException {
        Resolved r = resolved.get(ch);
        if (r.refusal() != null) {
            return refuse(ch, record, r.refusal());
        }
        GrantRow grant = grants.get(ch.campaignId() + '\n' + ch.rule() + '\n' + r.resident());
        AccountRow account = residentAccounts.get(ch.campaignId() + '\n' + r.resident());
        if (grant == null || account == null) {
            return refuse(ch, record, new Problem(422, "not-applied", "The resident has not applied for points on charges in this campaign."));
        }
        long back = Math.multiplyExact(ch.amount(), (long) ch.percent()) / 100;
        long points = Math.min(back, grant.cap - grant.granted);
        if (points <= 0) {
            return answer(ch, record, new ChargeResponse(ch.campaignId(), ch.accountRef(), ch.amount(), 0, grant.granted, grant.cap,
                    account.balance, null), () -> read(ch.providerClient(), r.resident(), AccessLogOutbox.READ, "charge-back"));
        }
        CampaignRow campaign = campaigns.get(ch.campaignId());
        AccountRow budget = campaign == null ? null : accounts.get(budgetAccounts.byCampaign.get(ch.campaignId()));
        if (campaign == null || budget == null || campaign.granted + points > campaign.budget) {
            return refuse(ch, record, Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant."));
        }
        long transferId = ids.transfers.next(c);
        ChargeResponse response = new ChargeResponse(ch.campaignId(), ch.accountRef(), ch.amount(), points, grant.granted + points, grant.cap,
                account.balance + points, transferId);
        return answer(ch, record, response, () -> {
            grant.granted += points;
            grant.delta += points;
            campaign.granted += points;
            campaign.delta += points;
            move(budget, account, points);
            transfers.add(new TransferRow(transferId, ch.providerClient(), ch.key().key(), budget.id, account.id, points,
                    Transfer.CHARGE_BACK, ch.rule(), "charge"));
            read(ch.providerClient(), r.resident(), AccessLogOutbox.UPDATE, "charge-back");
        });
    }

    private LedgerOutcome redemption(LedgerCommand.Redemption rd, PreparedStatement record) throws SQLException {
        Resolved r = resolved.get(rd);
        if (r.refusal() != null) {
            return refuse(rd, record, r.refusal());
        }
        AccountRow account = residentAccounts.get(rd.campaignId() + '\n' + r.resident());
        AccountRow merchant = accounts.get(r.merchantAccount());
        if (account == null || merchant == null) {
            return refuse(rd, record, Problem.notFound("unknown-account", "No such ledger account."));
        }
        if (account.balance - rd.amount() < 0) {
            return refuse(rd, record, Problem.conflict("insufficient-balance", "The account's balance does not cover this amount."));
        }
        long transferId = ids.transfers.next(c);
        RedemptionResponse response = new RedemptionResponse(rd.campaignId(), rd.accountRef(), rd.merchant(), rd.amount(),
                account.balance - rd.amount(), transferId);
        return answer(rd, record, response, () -> {
            move(account, merchant, rd.amount());
            transfers.add(new TransferRow(transferId, rd.providerClient(), rd.key().key(), account.id, merchant.id, rd.amount(),
                    Transfer.REDEMPTION, null, "redemption"));
            read(rd.providerClient(), r.resident(), AccessLogOutbox.UPDATE, "redemption");
        });
    }

    /** Stores the answer under the key; the effect is applied only when the key was free. */
    private LedgerOutcome answer(LedgerCommand command, PreparedStatement record, Object response, Runnable effect) throws SQLException {
        String body = idempotency.json(response);
        LedgerCommand.Key k = command.key();
        if (!IdempotencyRows.reserve(record, ids.records.next(c), k.scope(), k.key(), k.endpoint(), k.hash(), 201, body, now)) {
            return LedgerOutcome.taken();
        }
        if (effect != null) {
            effect.run();
        }
        return LedgerOutcome.answered(201, body);
    }

    /** A refusal is the key's first answer too; it changes nothing else. */
    private LedgerOutcome refuse(LedgerCommand command, PreparedStatement record, Problem p) throws SQLException {
        String body = idempotency.refusalJson(p);
        LedgerCommand.Key k = command.key();
        if (!IdempotencyRows.reserve(record, ids.records.next(c), k.scope(), k.key(), k.endpoint(), k.hash(), p.status(), body, now)) {
            return LedgerOutcome.taken();
        }
        return LedgerOutcome.refused(p, body);
    }

    /** A payment provider's answer told it the resident's points: the resident's log says so (DESIGN: access log). */
    private void read(String providerClient, String resident, String action, String purpose) {
        accessLog.add(new AccessRow(resident, providerClient, Roles.PAYMENT_PROVIDER, action, purpose, PAYMENT_FIELDS));
    }

    private static void move(AccountRow debit, AccountRow credit, long amount) {
        debit.balance -= amount;
        debit.debits += amount;
        credit.balance += amount;
        credit.credits += amount;
    }

    // ---- step 5 ----

    private void write() throws SQLException {
        if (!transfers.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement(sql.insertTransfer)) {
                for (TransferRow t : transfers) {
                    q.setLong(1, t.id());
                    q.setString(2, t.clientId());
                    q.setString(3, t.key());
                    q.setLong(4, t.debit());
                    q.setLong(5, t.credit());
                    q.setLong(6, t.amount());
                    q.setString(7, t.kind());
                    q.setString(8, t.rule());
                    q.setString(9, t.reference());
                    q.setObject(10, nowOffset);
                    q.addBatch();
                }
                q.executeBatch();
            }
        }
        List<AccountRow> dirty = accounts.values().stream().filter(AccountRow::dirty).sorted((a, b) -> Long.compare(a.id, b.id)).toList();
        updateEach(sql.updateAccount, dirty, (q, a) -> {
            long net = a.credits - a.debits;
            q.setLong(1, net);
            q.setLong(2, a.debits);
            q.setLong(3, a.credits);
            q.setLong(4, a.id);
            q.setLong(5, net);
        });
        updateEach(sql.updateGrant, grants.values().stream().filter(g -> g.delta != 0).toList(), (q, g) -> {
            q.setLong(1, g.delta);
            q.setLong(2, g.id);
            q.setLong(3, g.delta);
        });
        List<Map.Entry<String, CampaignRow>> moved = campaigns.entrySet().stream().filter(e -> e.getValue().delta != 0).toList();
        updateEach(sql.updateCampaign, moved, (q, e) -> {
            q.setLong(1, e.getValue().delta);
            q.setString(2, e.getKey());
            q.setLong(3, e.getValue().delta);
        });
        if (!accessLog.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement(sql.insertAccessLog)) {
                for (AccessRow a : accessLog) {
                    q.setString(1, a.linkCode());
                    q.setString(2, a.clientId());
                    q.setString(3, a.role());
                    q.setString(4, a.action());
                    q.setString(5, a.purpose());
                    q.setString(6, a.fields());
                    q.setObject(7, nowOffset);
                    q.addBatch();
                }
                q.executeBatch();
            }
        }
        if (!grantAnswers.isEmpty()) {
            try (PreparedStatement q = sql.idempotency.prepareCompletion(c)) {
                for (Map.Entry<Long, LedgerOutcome> e : grantAnswers.entrySet()) {
                    IdempotencyRows.addCompletion(q, e.getKey(), e.getValue().status(), e.getValue().body());
                }
                requireOneEach(q.executeBatch());
            }
        }
    }

    private interface Binder<T> {
        void bind(PreparedStatement q, T row) throws SQLException;
    }

    /** Conditional updates, each of which must hit its row: a miss means a limit would break, and the batch fails. */
    private <T> void updateEach(String statement, Collection<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement q = c.prepareStatement(statement)) {
            for (T row : rows) {
                binder.bind(q, row);
                q.addBatch();
            }
            requireOneEach(q.executeBatch());
        }
    }

    private static void requireOneEach(int[] counts) throws SQLException {
        for (int n : counts) {
            if (n != 1 && n != java.sql.Statement.SUCCESS_NO_INFO) {
                throw new SQLException("a conditional ledger update found its limit reached", "40001");
            }
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

}
