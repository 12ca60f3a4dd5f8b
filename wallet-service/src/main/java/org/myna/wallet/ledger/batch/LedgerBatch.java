package org.myna.wallet.ledger.batch;

import org.myna.platform.groupcommit.GroupCommitWriter;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.idempotency.IdempotencyRows;
import org.myna.platform.persistence.PooledIds;
import org.myna.platform.problem.Problem;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.cardstanding.CardStanding;
import org.myna.platform.cardstanding.CardStandings;
import org.myna.wallet.application.ApplicationRequests.ApplicationResponse;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.choice.PaymentChoice;
import org.myna.wallet.eligibility.EligibilityFacts;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.ledger.Transfer;
import org.myna.wallet.payment.PaymentRequests.AuthorizationResponse;
import org.myna.wallet.payment.PaymentRequests.ChargeResponse;
import org.myna.wallet.payment.PaymentRequests.RedemptionResponse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One transaction of the ledger writer, in plain JDBC. Its order is fixed so that batches of several replicas cannot
 * deadlock on the rows every request shares:
 * <ol>
 *   <li>in memory: a key repeated inside the batch is settled by its first request (one effect, the same answer);</li>
 *   <li>reads without locks: which resident a provider's account names, which account a merchant has;</li>
 *   <li>locks, each set in id order: the campaigns' rows, the shared accounts (budgets, merchants), the residents'
 *       accounts, the residents' percent-back grant rows ({@code SELECT ... FOR UPDATE}); then, when the batch holds two
 *       grants or more, one read each (no lock) of which of their keys are taken, tokens spent and grants made;</li>
 *   <li>each request in order against those locked values: its idempotency record and, for a grant, its operation token
 *       and grant row are inserted with {@code ON CONFLICT DO NOTHING}, so a reused key, a spent token or a second grant
 *       refuses that request only and no driver message naming the values is ever produced. With the grants' rows read
 *       in step 3, a grant is decided in memory instead, and its token, grant row and record (with its final answer)
 *       are written in step 5, one JDBC batch each, each row's count checked: a row another transaction wrote in between
 *       fails the batch (SQLState 40001), and its requests run again one by one, each with its own inserts;</li>
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
    static final class Sql {
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
        final String keysOf;
        final String spentTokens;
        final String grantsOf;
        final String addRecords;
        final String addTokens;
        final String addGrants;
        final String insertGrant;
        final String insertTransfer;
        final String updateAccounts;
        final String updateGrant;
        final String updateCampaign;
        final String insertAccessLog;
        final String holdAccount;
        final String readHolds;
        final String lockHolds;
        final String insertHold;
        final String settleHold;
        final String eligibilityFacts;
        final String cardStandings;
        final String schema;

        Sql(String schema) {
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
            keysOf = "select scope, idem_key from " + s + "idempotency_record where scope in (%s)";
            spentTokens = "select jti from " + s + "consumed_operation_token where jti in (%s)";
            grantsOf = "select resident, rule from " + s + "grant_record where campaign_id = ? and resident in (%s)";
            addRecords = insertFromArrays(s + "idempotency_record", "created_at", "id bigint", "scope varchar", "idem_key varchar",
                    "endpoint varchar", "request_hash varchar", "status integer", "response_body varchar");
            addTokens = insertFromArrays(s + "consumed_operation_token", "consumed_at", "jti varchar");
            addGrants = insertFromArrays(s + "grant_record", "created_at", "id bigint", "campaign_id varchar", "resident varchar",
                    "rule varchar", "granted bigint", "cap bigint", "transfer_id bigint");
            insertGrant = "insert into " + s + "grant_record (id, campaign_id, resident, rule, granted, cap, transfer_id, created_at) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
            insertTransfer = "insert into " + s + "transfer (id, client_id, transfer_key, debit_account_id, credit_account_id, amount, kind, "
                    + "rule, reference, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            // Every account the batch moved in one UPDATE over arrays, as insertFromArrays (half the executor time per row
            // of one statement per account); a row whose balance would go below zero is not updated, and the count says so.
            updateAccounts = "update " + s + "ledger_account a set balance = a.balance + v.net, debits = a.debits + v.debits, "
                    + "credits = a.credits + v.credits from unnest(cast(? as bigint array), cast(? as bigint array), "
                    + "cast(? as bigint array), cast(? as bigint array)) as v(id, net, debits, credits) "
                    + "where a.id = v.id and (a.kind = 'budget' or a.balance + v.net >= 0)";
            updateGrant = "update " + s + "grant_record set granted = granted + ? where id = ? and granted + ? <= cap";
            updateCampaign = "update " + s + "campaign set granted = granted + ? where id = ? and granted + ? <= budget";
            holdAccount = "select id from " + s + "ledger_account where campaign_id = ? and kind = 'hold'";
            readHolds = "select id, campaign_id, client_id, resident, payment_account, account_id, merchant, merchant_account_id, amount, "
                    + "expires_at, hold_transfer_id from " + s + "redemption_authorization where id in (%s)";
            lockHolds = "select id, status from " + s + "redemption_authorization where id in (%s) order by id for update";
            insertHold = "insert into " + s + "redemption_authorization (id, campaign_id, client_id, resident, payment_account, account_id, "
                    + "merchant, merchant_account_id, amount, status, expires_at, created_at, hold_transfer_id) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)";
            settleHold = "update " + s + "redemption_authorization set status = ?, captured = ?, settled_at = ?, release_transfer_id = ?, "
                    + "capture_transfer_id = ? where id = ? and status = 'pending'";
            eligibilityFacts = "select link_code, card_active, public_fund_account from " + s + "eligibility_fact where link_code in (%s)";
            cardStandings = "select link_code, card_ref, status, since from " + s + "card_standing where link_code in (%s)";
            insertAccessLog = "insert into " + s + "access_log_outbox (link_code, client_id, role, action, purpose, fields, at) "
                    + "values (?, ?, ?, ?, ?, ?, ?)";
        }

        /**
         * One INSERT for all of a batch's rows, from one array per column ("name type"), on H2 and PostgreSQL alike: one
         * statement per batch instead of one per row (issue 18; the executor's time per row stayed the same, the statements'
         * protocol and bind went, BENCHMARKS). Its count says whether every row went in. The first parameter is the
         * batch's one timestamp, for {@code timeColumn} (PgJDBC binds no arrays of OffsetDateTime); then the arrays in the
         * order given.
         */
        static String insertFromArrays(String table, String timeColumn, String... columns) {
            List<String> names = Arrays.stream(columns).map(c -> c.split(" ")[0]).toList();
            return "insert into " + table + " (" + String.join(", ", names) + ", " + timeColumn + ") select "
                    + names.stream().map(n -> "v." + n).collect(Collectors.joining(", ")) + ", cast(? as timestamp with time zone) from unnest("
                    + Arrays.stream(columns).map(c -> "cast(? as " + c.split(" ")[1] + " array)").collect(Collectors.joining(", "))
                    + ") as v(" + String.join(", ", names) + ") on conflict do nothing";
        }
    }

    /** Ids from the sequences Hibernate uses too (allocation size 50, pooled-lo); one set per writer thread. */
    static final class Ids {
        PooledIds transfers;
        PooledIds grants;
        PooledIds records;
        PooledIds authorizations;

        void init(String schema) {
            if (transfers == null) {
                transfers = new PooledIds(schema + ".transfer_seq", 50);
                grants = new PooledIds(schema + ".grant_record_seq", 50);
                records = new PooledIds(schema + ".idempotency_record_seq", 50);
                authorizations = new PooledIds(schema + ".redemption_authorization_seq", 50);
            }
        }
    }

    /** A campaign's budget account never changes: looked up once per writer. */
    static final class BudgetAccounts {
        final Map<String, Long> byCampaign = new HashMap<>();
        /** Each campaign's hold account (never changes either). */
        final Map<String, Long> holdByCampaign = new HashMap<>();
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

    /** A grant's idempotency record, written once with its final answer at the end of a prefetched batch. */
    private record NewRecord(long id, LedgerCommand.Key key, LedgerOutcome outcome) {
    }

    /** A token spent by a prefetched batch; {@code checked}: a grant's, which another transaction must not have spent since. */
    private record NewToken(String jti, boolean checked) {
    }

    private record NewGrant(long id, String campaignId, String resident, String rule, long granted, long cap, Long transferId) {
    }

    private record TransferRow(long id, String clientId, String key, long debit, long credit, long amount, String kind, String rule,
                               String reference) {
    }

    /** A row of the resident's access log (platform AccessLogOutbox's table), written with the batch. */
    private record AccessRow(String linkCode, String clientId, String role, String action, String purpose, String fields) {
    }

    /** A redemption authorisation as it was made (none of this changes after). */
    private record HoldInfo(long id, String campaignId, String clientId, String resident, String paymentAccount, long accountId,
                            String merchant, long merchantAccountId, long amount, Instant expiresAt, long holdTransferId) {
    }

    /** An authorisation's state, locked for the batch and changed in memory by its requests in order. */
    private static final class HoldRow {
        final HoldInfo info;
        String status;
        Long captured;
        Long releaseTransfer;
        Long captureTransfer;
        boolean settled;

        HoldRow(HoldInfo info, String status) {
            this.info = info;
            this.status = status;
        }
    }

    static final String PENDING = "pending";
    static final String CAPTURED = "captured";
    static final String VOIDED = "voided";
    static final String EXPIRED = "expired";

    /** What step 2 found for a charge or redemption: its resident, or why it is refused. */
    private record Resolved(String resident, Long merchantAccount, Problem refusal) {
    }

    private final Connection c;
    /** The writer thread's kept statements on {@code c}: never closed here (their result sets are). */
    private final GroupCommitWriter.Statements statements;
    private final Sql sql;
    private final LedgerFaults faults;
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
    /** True when the grants' keys, tokens and grant rows were read once for the batch (two grants or more in it). */
    private boolean prefetched;
    /** Read once per batch: the grants' keys already taken (scope, key), tokens already spent, grants already made. */
    private final Set<String> keysTaken = new HashSet<>();
    private final Set<String> tokensSpent = new HashSet<>();
    /** Grants that exist (campaign, resident, rule), read once per batch, with those this batch makes. */
    private final Set<String> grantsMade = new HashSet<>();
    private final List<NewRecord> newRecords = new ArrayList<>();
    private final List<NewToken> newTokens = new ArrayList<>();
    private final List<NewGrant> newGrants = new ArrayList<>();
    private final List<AccessRow> accessLog = new ArrayList<>();
    private final Map<Long, HoldInfo> holdInfos = new HashMap<>();
    private final Map<Long, HoldRow> holdRows = new TreeMap<>();
    private final List<HoldInfo> newHolds = new ArrayList<>();
    /** The copy of the registry's facts of the persons whose grants are decided from it: [card active, account]. */
    private final Map<String, boolean[]> facts = new HashMap<>();
    /** The copy of the card events of the persons whose grant tokens' cards are judged here: their card_standing rows. */
    private final Map<String, List<CardStanding>> cardRows = new HashMap<>();

    LedgerBatch(Connection c, GroupCommitWriter.Statements statements, Sql sql, Ids ids, BudgetAccounts budgetAccounts, Idempotency idempotency,
                LedgerFaults faults, List<Runnable> answers) {
        this.c = c;
        this.faults = faults;
        this.statements = statements;
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
        // 3. Locks, each kind in id order; then, for two grants or more, what of theirs already exists.
        lock(work);
        prefetch(work);
        // 4. Each request in order.
        PreparedStatement record = statements.prepare(sql.idempotency.insert());
        PreparedStatement token = statements.prepare(sql.consumeToken);
        PreparedStatement grant = statements.prepare(sql.insertGrant);
        for (LedgerCommand command : work) {
            LedgerOutcome outcome;
            if (command instanceof LedgerCommand.Grant g) {
                outcome = grant(g, record, token, grant);
            } else if (command instanceof LedgerCommand.Charge ch) {
                outcome = charge(ch, record);
            } else if (command instanceof LedgerCommand.Redemption r) {
                outcome = redemption(r, record);
            } else if (command instanceof LedgerCommand.Authorize a) {
                outcome = authorize(a, record);
            } else if (command instanceof LedgerCommand.Settle st) {
                outcome = settle(st, record);
            } else if (command instanceof LedgerCommand.Expire e) {
                outcome = expire(e);
            } else {
                outcome = refusal((LedgerCommand.Refusal) command, record, token);
            }
            outcomes.put(command, outcome);
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
        readHolds(work);
        readFacts(work);
        readCards(work);
        PreparedStatement plain = statements.prepare(sql.residentOf);
        PreparedStatement withService = statements.prepare(sql.residentOfService);
        PreparedStatement merchant = statements.prepare(sql.merchants);
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
            } else if (command instanceof LedgerCommand.Authorize a) {
                Long account = merchantAccounts.containsKey(a.merchant()) ? merchantAccounts.get(a.merchant()) : merchantAccount(merchant, a.merchant());
                merchantAccounts.put(a.merchant(), account);
                if (account == null) {
                    resolved.put(a, new Resolved(null, null,
                            new Problem(422, "unknown-merchant", "No merchant is registered under this corporate number.")));
                    continue;
                }
                resolved.put(a, residentOf(plain, withService, a.providerClient(), a.service(), a.accountRef(), a.campaignId(), account));
            }
        }
    }

    /**
     * The eligibility facts of every person whose grant is decided from the wallet's copy, in one query, in this batch's
     * transaction: an event applied before it (a revocation, a removal) is seen; one applied after commits after the
     * grant, as if it had arrived a moment later, within the feed's bound.
     */
    private void readFacts(List<LedgerCommand> work) throws SQLException {
        Set<String> wanted = new TreeSet<>();
        for (LedgerCommand command : work) {
            if (command instanceof LedgerCommand.Grant g && g.question() != null) {
                wanted.add(g.resident());
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        try (ResultSet rs = statements.in(sql.eligibilityFacts, wanted).executeQuery()) {
            while (rs.next()) {
                facts.put(rs.getString(1), new boolean[]{rs.getBoolean(2), rs.getBoolean(3)});
            }
        }
    }

    /**
     * The card-standing rows of every grant whose token's card is judged here, in one query, in this batch's transaction:
     * the same rows {@link CardStandings#voided} reads for every other request, with the same verdict.
     */
    private void readCards(List<LedgerCommand> work) throws SQLException {
        Set<String> wanted = new TreeSet<>();
        for (LedgerCommand command : work) {
            if (command instanceof LedgerCommand.Grant g && g.card() != null) {
                wanted.add(g.card().linkCode());
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        try (ResultSet rs = statements.in(sql.cardStandings, wanted).executeQuery()) {
            while (rs.next()) {
                CardStanding row = new CardStanding();
                row.key = new CardStanding.Key(rs.getString(1), rs.getString(2));
                row.status = rs.getString(3);
                row.since = rs.getObject(4, OffsetDateTime.class);
                cardRows.computeIfAbsent(row.key.linkCode(), k -> new ArrayList<>()).add(row);
            }
        }
    }

    /**
     * With two grants or more in the batch, reads once which of their keys are taken, tokens spent and grants made (three
     * padded IN queries on the unique indexes, no lock), so that each grant is decided in memory and its rows are written
     * once at the end. A row another transaction writes in between is found at the end by its insert's count of 0: the
     * batch then fails (SQLState 40001) and the writer runs its requests one by one, each with its own statements.
     */
    private void prefetch(List<LedgerCommand> work) throws SQLException {
        Set<String> scopes = new TreeSet<>();
        Set<String> jtis = new TreeSet<>();
        Map<String, Set<String>> residentsByCampaign = new TreeMap<>();
        for (LedgerCommand command : work) {
            if (command instanceof LedgerCommand.Grant g) {
                scopes.add(g.key().scope());
                jtis.add(g.jti());
                residentsByCampaign.computeIfAbsent(g.campaignId(), k -> new TreeSet<>()).add(g.resident());
            }
        }
        if (jtis.size() < 2) {
            return; // one grant: its own three statements are fewer round trips than three reads and three writes
        }
        prefetched = true;
        try (ResultSet rs = statements.in(sql.keysOf, scopes).executeQuery()) {
            while (rs.next()) {
                keysTaken.add(rs.getString(1) + '\n' + rs.getString(2));
            }
        }
        try (ResultSet rs = statements.in(sql.spentTokens, jtis).executeQuery()) {
            while (rs.next()) {
                tokensSpent.add(rs.getString(1));
            }
        }
        for (Map.Entry<String, Set<String>> e : residentsByCampaign.entrySet()) {
            PreparedStatement q = statements.in(sql.grantsOf, 1, e.getValue(), PreparedStatement::setString);
            q.setString(1, e.getKey());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    grantsMade.add(e.getKey() + '\n' + rs.getString(1) + '\n' + rs.getString(2));
                }
            }
        }
        GroupCommitWriter.Faults.ConnectionFault fault = faults.afterGrantPrefetch.getAndSet(null);
        if (fault != null) {
            fault.on(c);
        }
    }

    private static Long holdId(LedgerCommand command) {
        if (command instanceof LedgerCommand.Settle st) {
            return st.authorizationId();
        }
        return command instanceof LedgerCommand.Expire e ? e.authorizationId() : null;
    }

    /** The authorisations that captures, voids and expiries name (what was authorised never changes: no lock needed). */
    private void readHolds(List<LedgerCommand> work) throws SQLException {
        Set<Long> wanted = new TreeSet<>();
        for (LedgerCommand command : work) {
            Long id = holdId(command);
            if (id != null) {
                wanted.add(id);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        try (ResultSet rs = statements.inIds(sql.readHolds, wanted).executeQuery()) {
            while (rs.next()) {
                HoldInfo h = new HoldInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                        rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getObject(10, OffsetDateTime.class).toInstant(), rs.getLong(11));
                holdInfos.put(h.id(), h);
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
        Long holdId = holdId(command);
        if (holdId != null) {
            HoldInfo h = holdInfos.get(holdId);
            return h == null ? null : h.resident();
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
            Long holdId = holdId(command);
            String campaignId = holdId == null ? command.campaignId() : holdInfos.get(holdId).campaignId();
            residentsByCampaign.computeIfAbsent(campaignId, k -> new TreeSet<>()).add(resident);
            if (command instanceof LedgerCommand.Authorize || holdId != null) {
                Long holds = holdAccount(campaignId);
                if (holds != null) {
                    shared.add(holds);
                }
            }
            if (command instanceof LedgerCommand.Settle st && st.capture() != null) {
                shared.add(holdInfos.get(holdId).merchantAccountId());
            }
            if (holdId != null) {
                holdRows.put(holdId, null);
            }
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
            try (ResultSet rs = statements.in(sql.lockCampaigns, campaignIds).executeQuery()) {
                while (rs.next()) {
                    campaigns.put(rs.getString(1), new CampaignRow(rs.getLong(2), rs.getLong(3)));
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
            try (ResultSet rs = statements.inIds(sql.lockAccounts, shared).executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    accounts.put(id, new AccountRow(id, LedgerAccount.BUDGET.equals(rs.getString(2)), rs.getLong(3)));
                }
            }
        }
        // Residents' accounts: ordered by id within a campaign, campaigns in id order.
        for (Map.Entry<String, Set<String>> e : residentsByCampaign.entrySet()) {
            PreparedStatement q = statements.in(sql.lockResidents, 1, e.getValue(), PreparedStatement::setString);
            q.setString(1, e.getKey());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    AccountRow a = new AccountRow(rs.getLong(1), false, rs.getLong(3));
                    accounts.put(a.id, a);
                    residentAccounts.put(e.getKey() + '\n' + rs.getString(2), a);
                }
            }
        }
        for (Map.Entry<String, Set<String>> e : chargeResidents.entrySet()) {
            String campaign = e.getKey().substring(0, e.getKey().indexOf('\n'));
            String rule = chargeRule.get(e.getKey());
            PreparedStatement q = statements.in(sql.lockGrants, 2, e.getValue(), PreparedStatement::setString);
            q.setString(1, campaign);
            q.setString(2, rule);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    grants.put(e.getKey() + '\n' + rs.getString(2), new GrantRow(rs.getLong(1), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        lockHolds();
    }

    /** Last in the lock order: the authorisations settled or expired in this batch, in id order. */
    private void lockHolds() throws SQLException {
        if (holdRows.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(holdRows.keySet());
        holdRows.clear();
        try (ResultSet rs = statements.inIds(sql.lockHolds, ids).executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                holdRows.put(id, new HoldRow(holdInfos.get(id), rs.getString(2)));
            }
        }
    }

    private Long holdAccount(String campaignId) throws SQLException {
        Long known = budgetAccounts.holdByCampaign.get(campaignId);
        if (known != null) {
            return known;
        }
        PreparedStatement q = statements.prepare(sql.holdAccount);
        q.setString(1, campaignId);
        try (ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long id = rs.getLong(1);
            budgetAccounts.holdByCampaign.put(campaignId, id);
            return id;
        }
    }

    private Long budgetAccount(String campaignId) throws SQLException {
        Long known = budgetAccounts.byCampaign.get(campaignId);
        if (known != null) {
            return known;
        }
        PreparedStatement q = statements.prepare(sql.budgetAccount);
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

    // ---- step 4 ----

    private LedgerOutcome grant(LedgerCommand.Grant g, PreparedStatement record, PreparedStatement token, PreparedStatement grant) throws SQLException {
        if (g.card() != null) {
            // DESIGN §6.7 before anything else, as the request filter does for every other request: a voided token is
            // refused (401) with nothing stored or spent.
            LedgerCommand.Card card = g.card();
            Optional<String> voided = CardStandings.verdict(cardRows.getOrDefault(card.linkCode(), List.of()), card.cardRef(),
                    card.issuedAtSeconds());
            if (voided.isPresent()) {
                return LedgerOutcome.unanswered(voided.get());
            }
        }
        if (g.question() != null) {
            // Only a "yes" is taken from the copy; otherwise nothing is stored or spent and the caller asks the registry.
            boolean[] known = facts.get(g.resident());
            if (known == null) {
                return LedgerOutcome.unanswered(LedgerOutcome.COPY_UNKNOWN);
            }
            if (!EligibilityFacts.answer(g.question(), known[0], known[1])) {
                return LedgerOutcome.unanswered(LedgerOutcome.COPY_NO);
            }
        }
        long recordId = ids.records.next(c);
        LedgerCommand.Key k = g.key();
        if (prefetched ? keysTaken.contains(k.id())
                : !IdempotencyRows.reserve(record, recordId, k.scope(), k.key(), k.endpoint(), k.hash(), null, null, now)) {
            return LedgerOutcome.taken();
        }
        // The token is spent by this attempt whatever its answer (a refused attempt spends it too).
        if (!spend(g.jti(), token, true)) {
            return refuseGrant(g, recordId, Problem.conflict("operation-token-used", "This operation token was already used; authenticate again."));
        }
        AccountRow account = residentAccounts.get(g.campaignId() + '\n' + g.resident());
        if (account == null) {
            return refuseGrant(g, recordId, new Problem(422, "no-payment-service", "Choose a payment service for this campaign first."));
        }
        CampaignRow campaign = campaigns.get(g.campaignId());
        AccountRow budget = g.fixed() ? accounts.get(budgetAccounts.byCampaign.get(g.campaignId())) : null;
        if (g.fixed() && (campaign == null || budget == null)) {
            return refuseGrant(g, recordId, Problem.notFound("unknown-campaign", "No such campaign."));
        }
        if (g.fixed() && campaign.granted + g.amount() > campaign.budget) {
            return refuseGrant(g, recordId, Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant."));
        }
        Long transferId = g.fixed() ? ids.transfers.next(c) : null;
        NewGrant row = new NewGrant(ids.grants.next(c), g.campaignId(), g.resident(), g.rule(), g.fixed() ? g.amount() : 0, g.cap(), transferId);
        if (!addGrant(row, grant)) {
            return refuseGrant(g, recordId, Problem.conflict("already-granted", "Points for this rule were already granted to you."));
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
        return grantAnswer(g, recordId, LedgerOutcome.answered(201, body));
    }

    /**
     * Spends {@code jti} in this batch: false when it was spent before (in this batch, or committed). Prefetched, the
     * row is written at the end; {@code checked}: a grant's, whose row another transaction must not have written since.
     */
    private boolean spend(String jti, PreparedStatement token, boolean checked) throws SQLException {
        if (!tokens.add(jti)) {
            return false;
        }
        if (prefetched) {
            if (tokensSpent.contains(jti)) {
                return false;
            }
            newTokens.add(new NewToken(jti, checked));
            return true;
        }
        token.setString(1, jti);
        token.setObject(2, nowOffset);
        return token.executeUpdate() == 1;
    }

    /** Makes the grant row: false when the person has it already (from before, or from this batch). */
    private boolean addGrant(NewGrant row, PreparedStatement grant) throws SQLException {
        if (prefetched) {
            if (!grantsMade.add(row.campaignId() + '\n' + row.resident() + '\n' + row.rule())) {
                return false;
            }
            newGrants.add(row);
            return true;
        }
        bindGrant(grant, row);
        return grant.executeUpdate() == 1;
    }

    private void bindGrant(PreparedStatement q, NewGrant row) throws SQLException {
        q.setLong(1, row.id());
        q.setString(2, row.campaignId());
        q.setString(3, row.resident());
        q.setString(4, row.rule());
        q.setLong(5, row.granted());
        q.setLong(6, row.cap());
        if (row.transferId() == null) {
            q.setNull(7, java.sql.Types.BIGINT);
        } else {
            q.setLong(7, row.transferId());
        }
        q.setObject(8, nowOffset);
    }

    private LedgerOutcome refusal(LedgerCommand.Refusal r, PreparedStatement record, PreparedStatement token) throws SQLException {
        if (r.jti() != null) {
            spend(r.jti(), token, false);
        }
        return refuse(r, record, r.problem());
    }

    private LedgerOutcome refuseGrant(LedgerCommand.Grant g, long recordId, Problem p) {
        return grantAnswer(g, recordId, LedgerOutcome.refused(p, idempotency.refusalJson(p)));
    }

    /** The grant's answer, stored under its key at the end: a new record (prefetched) or the reservation completed. */
    private LedgerOutcome grantAnswer(LedgerCommand.Grant g, long recordId, LedgerOutcome outcome) {
        if (prefetched) {
            newRecords.add(new NewRecord(recordId, g.key(), outcome));
        } else {
            grantAnswers.put(recordId, outcome);
        }
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
        return answer(command, record, 201, response, effect);
    }

    private LedgerOutcome answer(LedgerCommand command, PreparedStatement record, int status, Object response, Runnable effect) throws SQLException {
        String body = idempotency.json(response);
        LedgerCommand.Key k = command.key();
        if (!IdempotencyRows.reserve(record, ids.records.next(c), k.scope(), k.key(), k.endpoint(), k.hash(), status, body, now)) {
            return LedgerOutcome.taken();
        }
        if (effect != null) {
            effect.run();
        }
        return LedgerOutcome.answered(status, body);
    }

    // ---- two-phase redemptions ----

    private static String instant(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    /** Holds the points: a transfer to the campaign's hold account and the authorisation row, both in this batch. */
    private LedgerOutcome authorize(LedgerCommand.Authorize a, PreparedStatement record) throws SQLException {
        Resolved r = resolved.get(a);
        if (r.refusal() != null) {
            return refuse(a, record, r.refusal());
        }
        AccountRow account = residentAccounts.get(a.campaignId() + '\n' + r.resident());
        Long holdsId = budgetAccounts.holdByCampaign.get(a.campaignId());
        AccountRow holds = holdsId == null ? null : accounts.get(holdsId);
        if (account == null || holds == null) {
            return refuse(a, record, Problem.notFound("unknown-account", "No such ledger account."));
        }
        if (account.balance - a.amount() < 0) {
            return refuse(a, record, Problem.conflict("insufficient-balance", "The account's balance does not cover this amount."));
        }
        long id = ids.authorizations.next(c);
        long transferId = ids.transfers.next(c);
        Instant expires = now.plus(a.validFor()).truncatedTo(ChronoUnit.MILLIS);
        HoldInfo info = new HoldInfo(id, a.campaignId(), a.providerClient(), r.resident(), a.accountRef(), account.id, a.merchant(),
                r.merchantAccount(), a.amount(), expires, transferId);
        AuthorizationResponse response = new AuthorizationResponse(id, a.campaignId(), a.accountRef(), a.merchant(), a.amount(), PENDING,
                null, null, instant(expires), account.balance - a.amount(), transferId, null, null);
        return answer(a, record, response, () -> {
            move(account, holds, a.amount());
            transfers.add(new TransferRow(transferId, LEDGER_CLIENT, "hold:" + id, account.id, holds.id, a.amount(), Transfer.HOLD, null,
                    "authorization " + id));
            newHolds.add(info);
            read(a.providerClient(), r.resident(), AccessLogOutbox.UPDATE, "redemption-authorization");
        });
    }

    /** A capture or a void by the provider that made the authorisation, against its locked state. */
    private LedgerOutcome settle(LedgerCommand.Settle st, PreparedStatement record) throws SQLException {
        HoldInfo h = holdInfos.get(st.authorizationId());
        HoldRow row = h == null ? null : holdRows.get(h.id());
        // Another provider's authorisation is as unknown as one that does not exist.
        if (row == null || !h.clientId().equals(st.providerClient())) {
            return refuse(st, record, Problem.notFound("unknown-authorization", "You made no authorization with this id."));
        }
        expireIfDue(row);
        if (!PENDING.equals(row.status)) {
            return refuse(st, record, settled(row.status));
        }
        Long capture = st.capture();
        if (capture != null && capture > h.amount()) {
            return refuse(st, record, new Problem(422, "capture-above-hold", "A capture takes at most the authorized amount.",
                    java.util.Map.of("authorized", h.amount())));
        }
        AccountRow account = accounts.get(h.accountId());
        AccountRow holds = accounts.get(budgetAccounts.holdByCampaign.get(h.campaignId()));
        AccountRow merchant = capture == null ? null : accounts.get(h.merchantAccountId());
        if (account == null || holds == null || (capture != null && merchant == null)) {
            return refuse(st, record, Problem.notFound("unknown-account", "No such ledger account."));
        }
        long releaseId = ids.transfers.next(c);
        Long captureId = capture == null ? null : ids.transfers.next(c);
        long spent = capture == null ? 0 : capture;
        AuthorizationResponse response = new AuthorizationResponse(h.id(), h.campaignId(), h.paymentAccount(), h.merchant(), h.amount(),
                capture == null ? VOIDED : CAPTURED, capture, h.amount() - spent, instant(h.expiresAt()), account.balance + h.amount() - spent,
                h.holdTransferId(), captureId, releaseId);
        return answer(st, record, 200, response, () -> {
            release(row, capture == null ? VOIDED : CAPTURED, releaseId, account, holds);
            if (capture != null) {
                move(account, merchant, capture);
                transfers.add(new TransferRow(captureId, LEDGER_CLIENT, "capture:" + h.id(), account.id, merchant.id, capture,
                        Transfer.REDEMPTION, null, "authorization " + h.id()));
                row.captured = capture;
                row.captureTransfer = captureId;
            }
            read(st.providerClient(), h.resident(), AccessLogOutbox.UPDATE, capture == null ? "redemption-void" : "redemption");
        });
    }

    private LedgerOutcome expire(LedgerCommand.Expire e) throws SQLException {
        HoldRow row = holdRows.get(e.authorizationId());
        if (row != null) {
            expireIfDue(row);
        }
        return LedgerOutcome.answered(200, null);
    }

    /** A pending authorisation past its deadline (by this batch's clock) expires here, whoever asked: its hold returns. */
    private void expireIfDue(HoldRow row) throws SQLException {
        if (!PENDING.equals(row.status) || now.isBefore(row.info.expiresAt())) {
            return;
        }
        AccountRow account = accounts.get(row.info.accountId());
        AccountRow holds = accounts.get(budgetAccounts.holdByCampaign.get(row.info.campaignId()));
        if (account == null || holds == null) {
            return;
        }
        release(row, EXPIRED, ids.transfers.next(c), account, holds);
    }

    /** The whole hold goes back to the resident (once per authorisation: transfer key "release:id"). */
    private void release(HoldRow row, String status, long releaseId, AccountRow account, AccountRow holds) {
        move(holds, account, row.info.amount());
        transfers.add(new TransferRow(releaseId, LEDGER_CLIENT, "release:" + row.info.id(), holds.id, account.id, row.info.amount(),
                Transfer.RELEASE, null, status + " authorization " + row.info.id()));
        row.status = status;
        row.releaseTransfer = releaseId;
        row.settled = true;
    }

    private static Problem settled(String status) {
        return switch (status) {
            case CAPTURED -> Problem.conflict("authorization-captured", "This authorization was already captured.");
            case VOIDED -> Problem.conflict("authorization-voided", "This authorization was already voided.");
            default -> Problem.conflict("authorization-expired", "This authorization expired and its points were returned.");
        };
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
        writeGrantRows();
        if (!transfers.isEmpty()) {
            PreparedStatement q = statements.prepare(sql.insertTransfer);
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
        if (!newHolds.isEmpty()) {
            PreparedStatement q = statements.prepare(sql.insertHold);
            for (HoldInfo h : newHolds) {
                q.setLong(1, h.id());
                q.setString(2, h.campaignId());
                q.setString(3, h.clientId());
                q.setString(4, h.resident());
                q.setString(5, h.paymentAccount());
                q.setLong(6, h.accountId());
                q.setString(7, h.merchant());
                q.setLong(8, h.merchantAccountId());
                q.setLong(9, h.amount());
                q.setObject(10, OffsetDateTime.ofInstant(h.expiresAt(), ZoneOffset.UTC));
                q.setObject(11, nowOffset);
                q.setLong(12, h.holdTransferId());
                q.addBatch();
            }
            q.executeBatch();
        }
        // Each settlement must find its authorisation still pending (the CHECK constraints guard the rest).
        updateEach(sql.settleHold, holdRows.values().stream().filter(r -> r.settled).toList(), (q, r) -> {
            q.setString(1, r.status);
            if (r.captured == null) {
                q.setNull(2, java.sql.Types.BIGINT);
                q.setNull(5, java.sql.Types.BIGINT);
            } else {
                q.setLong(2, r.captured);
                q.setLong(5, r.captureTransfer);
            }
            q.setObject(3, nowOffset);
            q.setLong(4, r.releaseTransfer);
            q.setLong(6, r.info.id());
        });
        List<AccountRow> dirty = accounts.values().stream().filter(AccountRow::dirty).sorted((a, b) -> Long.compare(a.id, b.id)).toList();
        if (!dirty.isEmpty()) {
            PreparedStatement q = statements.prepare(sql.updateAccounts);
            q.setObject(1, dirty.stream().map(a -> a.id).toArray(Long[]::new));
            q.setObject(2, dirty.stream().map(a -> a.credits - a.debits).toArray(Long[]::new));
            q.setObject(3, dirty.stream().map(a -> a.debits).toArray(Long[]::new));
            q.setObject(4, dirty.stream().map(a -> a.credits).toArray(Long[]::new));
            if (q.executeUpdate() != dirty.size()) {
                throw new SQLException("a conditional ledger update found its limit reached", "40001");
            }
        }
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
            PreparedStatement q = statements.prepare(sql.insertAccessLog);
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
        if (!grantAnswers.isEmpty()) {
            PreparedStatement q = statements.prepare(sql.idempotency.completion());
            for (Map.Entry<Long, LedgerOutcome> e : grantAnswers.entrySet()) {
                IdempotencyRows.addCompletion(q, e.getKey(), e.getValue().status(), e.getValue().body());
            }
            requireOneEach(q.executeBatch());
        }
    }

    /**
     * A prefetched batch's tokens, grant rows and grant records, one JDBC batch each (first: a conflict found here costs
     * no other write). A row another transaction wrote since the prefetch leaves its insert's count at 0: the batch fails
     * with SQLState 40001 and its requests run again one by one, where that one request alone is refused.
     */
    private void writeGrantRows() throws SQLException {
        // A checked token (a grant's) must go in: another transaction spending it since the pre-read fails the batch. An
        // unchecked one may already be spent.
        addTokens(newTokens.stream().filter(NewToken::checked).toList(), true);
        addTokens(newTokens.stream().filter(t -> !t.checked()).toList(), false);
        if (!newGrants.isEmpty()) {
            PreparedStatement q = statements.prepare(sql.addGrants);
            q.setObject(1, nowOffset);
            q.setObject(2, newGrants.stream().map(NewGrant::id).toArray(Long[]::new));
            q.setObject(3, newGrants.stream().map(NewGrant::campaignId).toArray(String[]::new));
            q.setObject(4, newGrants.stream().map(NewGrant::resident).toArray(String[]::new));
            q.setObject(5, newGrants.stream().map(NewGrant::rule).toArray(String[]::new));
            q.setObject(6, newGrants.stream().map(NewGrant::granted).toArray(Long[]::new));
            q.setObject(7, newGrants.stream().map(NewGrant::cap).toArray(Long[]::new));
            q.setObject(8, newGrants.stream().map(NewGrant::transferId).toArray(Long[]::new));
            requireInserted(q.executeUpdate(), newGrants.size());
        }
        if (!newRecords.isEmpty()) {
            PreparedStatement q = statements.prepare(sql.addRecords);
            q.setObject(1, nowOffset);
            q.setObject(2, newRecords.stream().map(NewRecord::id).toArray(Long[]::new));
            q.setObject(3, newRecords.stream().map(r -> r.key().scope()).toArray(String[]::new));
            q.setObject(4, newRecords.stream().map(r -> r.key().key()).toArray(String[]::new));
            q.setObject(5, newRecords.stream().map(r -> r.key().endpoint()).toArray(String[]::new));
            q.setObject(6, newRecords.stream().map(r -> r.key().hash()).toArray(String[]::new));
            q.setObject(7, newRecords.stream().map(r -> r.outcome().status()).toArray(Integer[]::new));
            q.setObject(8, newRecords.stream().map(r -> r.outcome().body()).toArray(String[]::new));
            requireInserted(q.executeUpdate(), newRecords.size());
        }
    }

    private void addTokens(List<NewToken> tokens, boolean mustAllGoIn) throws SQLException {
        if (tokens.isEmpty()) {
            return;
        }
        PreparedStatement q = statements.prepare(sql.addTokens);
        q.setObject(1, nowOffset);
        q.setObject(2, tokens.stream().map(NewToken::jti).toArray(String[]::new));
        int inserted = q.executeUpdate();
        if (mustAllGoIn) {
            requireInserted(inserted, tokens.size());
        }
    }

    private static void requireInserted(int inserted, int rows) throws SQLException {
        if (inserted != rows) {
            throw takenSince();
        }
    }

    /** Names no value: the batch is simply run again request by request. */
    private static SQLException takenSince() {
        return new SQLException("a grant's key, token or grant row was written by another transaction since the batch read them", "40001");
    }

    private interface Binder<T> {
        void bind(PreparedStatement q, T row) throws SQLException;
    }

    /** Conditional updates, each of which must hit its row: a miss means a limit would break, and the batch fails. */
    private <T> void updateEach(String statement, Collection<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement q = statements.prepare(statement);
        for (T row : rows) {
            binder.bind(q, row);
            q.addBatch();
        }
        requireOneEach(q.executeBatch());
    }

    private static void requireOneEach(int[] counts) throws SQLException {
        for (int n : counts) {
            if (n != 1 && n != java.sql.Statement.SUCCESS_NO_INFO) {
                throw new SQLException("a conditional ledger update found its limit reached", "40001");
            }
        }
    }


}
