package org.myna.insurance.eligibility;

import org.myna.insurance.auth.Roles;
import org.myna.insurance.cardreplica.CardReplica;
import org.myna.insurance.insurer.Insurer;
import org.myna.insurance.member.Member;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.groupcommit.GroupCommitWriter;
import org.myna.platform.persistence.PooledIds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One transaction of card checks, in plain JDBC (no Hibernate on this path):
 * <ol>
 *   <li>the card replica's rows of every fingerprint in the batch, one query;</li>
 *   <li>the linked members of every good card's link code, with their insurer, one query;</li>
 *   <li>each check decided in order; a challenge repeated inside the batch is settled in memory (the first wins, the
 *       others are 409 {@code challenge-used});</li>
 *   <li>each check record inserted with {@code ON CONFLICT DO NOTHING}: its UNIQUE nonce id spends the challenge, and a
 *       challenge spent before (by an earlier batch, or by another replica) refuses that check only — a row count of 0,
 *       no driver message naming the value;</li>
 *   <li>the residents' access-log rows (platform {@link AccessLogOutbox}'s table) of the checks recorded, one JDBC batch:
 *       in the check's transaction, so a row exists exactly when its check committed, before the clinic is answered.</li>
 * </ol>
 * Its statements are the writer thread's kept ones (prepared once per connection, IN lists padded to powers of two).
 * Not thread-safe: the writer's single thread owns it (the id block).
 */
final class CheckBatch implements GroupCommitWriter.KeptBatch<CheckRequest> {

    private final CardReplica replica;
    private final String schema;
    private final PooledIds ids;
    private final String members;
    private final String insertCheck;
    private final String insertAccessLog;

    CheckBatch(CardReplica replica, String schema) {
        this.replica = replica;
        this.schema = schema;
        String s = schema + ".";
        this.ids = new PooledIds(s + "eligibility_check_seq", 50);
        this.members = "select m.id, m.symbol, m.member_number, m.branch, m.copay_rate, m.coverage_start, m.coverage_end, "
                + "m.family_name, m.given_name, m.family_name_kana, m.given_name_kana, m.date_of_birth, m.link_code, "
                + "i.insurer_number, i.name from " + s + "member m join " + s + "insurer i on i.id = m.insurer_id "
                + "where m.link_status = '" + Member.LINKED + "' and m.link_code in (%s)";
        this.insertCheck = "insert into " + s + "eligibility_check (id, member_id, link_code, facility_client_id, institution_code, "
                + "method, result, checked_at, nonce_id) values (?, ?, ?, ?, ?, '" + EligibilityService.CARD + "', ?, ?, ?) "
                + "on conflict do nothing";
        this.insertAccessLog = "insert into " + s + "access_log_outbox (link_code, client_id, role, action, purpose, fields, at) "
                + "values (?, ?, ?, ?, ?, ?, ?)";
    }

    /** A check decided, to be recorded. */
    private record Decided(CheckRequest request, String result, Member member, String linkCode, List<String> fallbacks) {
    }

    @Override
    public void run(Connection c, GroupCommitWriter.Statements statements, List<CheckRequest> batch, List<Runnable> answers)
            throws SQLException {
        LocalDate today = LocalDate.now(EligibilityService.JAPAN);
        OffsetDateTime now = OffsetDateTime.now();
        // 1. The card replica, for the checks it is to answer.
        Set<String> fingerprints = new LinkedHashSet<>();
        for (CheckRequest r : batch) {
            if (r.fingerprint() != null) {
                fingerprints.add(r.fingerprint());
            }
        }
        Map<String, CardReplica.Answer> cards = replica.find(statements, schema, fingerprints);
        // 2. Each check's holder standing; the link codes of good cards.
        List<CheckRequest> known = new ArrayList<>(batch.size());
        Map<CheckRequest, CardReplica.Answer> standing = new HashMap<>();
        Set<String> linkCodes = new LinkedHashSet<>();
        for (CheckRequest r : batch) {
            CardReplica.Answer a = r.fingerprint() != null ? cards.get(r.fingerprint())
                    : r.status() != null ? new CardReplica.Answer(r.status(), r.linkCode()) : null;
            if (r.fingerprint() != null && a == null) {
                answers.add(() -> r.result().complete(null)); // unknown here: nothing recorded, the registry is asked
                continue;
            }
            known.add(r);
            if (a != null) {
                standing.put(r, a);
                if ("good".equals(a.status()) && a.linkCode() != null) {
                    linkCodes.add(a.linkCode());
                }
            }
        }
        Map<String, List<Member>> byLinkCode = members(statements, linkCodes);
        // 3. Each check decided, in order; a challenge repeated in the batch goes to its first check.
        Set<String> nonces = new HashSet<>();
        List<Decided> decided = new ArrayList<>(known.size());
        for (CheckRequest r : known) {
            if (!nonces.add(r.nonceId())) {
                answers.add(() -> r.result().completeExceptionally(EligibilityService.used()));
                continue;
            }
            CardReplica.Answer a = standing.get(r);
            decided.add(a == null ? new Decided(r, r.fixedResult(), null, null, r.fallbacks()) : decide(r, a, byLinkCode, today));
        }
        // 4. The records; a challenge spent before refuses its check only.
        List<Decided> recorded = new ArrayList<>(decided.size());
        PreparedStatement record = statements.prepare(insertCheck);
        for (Decided d : decided) {
            long id = ids.next(c);
            record.setLong(1, id);
            if (d.member() == null) {
                record.setNull(2, Types.BIGINT);
            } else {
                record.setLong(2, d.member().id);
            }
            record.setString(3, d.linkCode());
            record.setString(4, d.request().facility().clientId());
            record.setString(5, d.request().facility().institutionCode());
            record.setString(6, d.result());
            record.setObject(7, now);
            record.setString(8, d.request().nonceId());
            if (record.executeUpdate() == 0) {
                answers.add(() -> d.request().result().completeExceptionally(EligibilityService.used()));
                continue;
            }
            recorded.add(d);
            CheckAnswer answer = new CheckAnswer(id, d.result(), d.member() == null ? null : Coverage.of(d.member(), today), d.fallbacks());
            answers.add(() -> d.request().result().complete(answer));
        }
        // 5. The residents' access-log rows, naming the clinic (not this service) as the reader.
        boolean any = false;
        PreparedStatement accessLog = statements.prepare(insertAccessLog);
        for (Decided d : recorded) {
            if (d.linkCode() == null) {
                continue;
            }
            accessLog.setString(1, d.linkCode());
            accessLog.setString(2, d.request().facility().clientId());
            accessLog.setString(3, Roles.FACILITY);
            accessLog.setString(4, AccessLogOutbox.READ);
            accessLog.setString(5, "eligibility-check:" + EligibilityService.CARD);
            accessLog.setString(6, d.member() == null ? "insurance-link" : EligibilityService.CHECK_FIELDS);
            accessLog.setObject(7, now);
            accessLog.addBatch();
            any = true;
        }
        if (any) {
            accessLog.executeBatch();
        }
    }

    /** The answer for a card the replica or the registry says is good, revoked, suspended or expired. */
    private static Decided decide(CheckRequest r, CardReplica.Answer a, Map<String, List<Member>> byLinkCode, LocalDate today) {
        return switch (a.status()) {
            case "good" -> {
                Optional<Member> m = a.linkCode() == null ? Optional.empty()
                        : EligibilityService.best(byLinkCode.getOrDefault(a.linkCode(), List.of()), today);
                yield m.isEmpty() ? new Decided(r, "not-linked", null, a.linkCode(), null)
                        : new Decided(r, m.get().coverageOn(today), m.get(), a.linkCode(), null);
            }
            case "revoked" -> new Decided(r, "card-revoked", null, null, null);
            case "suspended" -> new Decided(r, "card-suspended", null, null, null);
            case "expired" -> new Decided(r, "certificate-expired", null, null, CheckAnswer.FALLBACKS);
            default -> throw new IllegalArgumentException("not a holder status");
        };
    }

    /** The linked members of these link codes with their insurer (detached objects, read by JDBC). */
    private Map<String, List<Member>> members(GroupCommitWriter.Statements statements, Set<String> linkCodes) throws SQLException {
        Map<String, List<Member>> out = new HashMap<>();
        if (linkCodes.isEmpty()) {
            return out;
        }
        PreparedStatement q = statements.in(members, linkCodes);
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Member m = new Member();
                m.id = rs.getLong(1);
                m.symbol = rs.getString(2);
                m.number = rs.getString(3);
                m.branch = rs.getString(4);
                m.copayRate = rs.getInt(5);
                m.coverageStart = rs.getObject(6, LocalDate.class);
                m.coverageEnd = rs.getObject(7, LocalDate.class);
                m.familyName = rs.getString(8);
                m.givenName = rs.getString(9);
                m.familyNameKana = rs.getString(10);
                m.givenNameKana = rs.getString(11);
                m.dateOfBirth = rs.getObject(12, LocalDate.class);
                m.linkStatus = Member.LINKED;
                m.linkCode = rs.getString(13);
                Insurer insurer = new Insurer();
                insurer.insurerNumber = rs.getString(14);
                insurer.name = rs.getString(15);
                m.insurer = insurer;
                out.computeIfAbsent(m.linkCode, k -> new ArrayList<>(1)).add(m);
            }
        }
        return out;
    }
}
