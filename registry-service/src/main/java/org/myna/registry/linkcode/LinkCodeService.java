package org.myna.registry.linkcode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Issues and resolves link codes: 128 random bits, base64url. A code says nothing about the resident or the
 * number, and codes for two audiences cannot be joined without asking this registry.
 */
@ApplicationScoped
public class LinkCodeService {

    public static final Set<String> AUDIENCES = Set.of("registry", "wallet", "insurance");

    private final SecureRandom random = new SecureRandom();
    private final Event<LinkCodeCreated> created;

    public LinkCodeService(Event<LinkCodeCreated> created) {
        this.created = created;
    }

    /** The resident's code for this audience, created on first use; concurrent first uses agree on one code. */
    public String codeFor(long residentId, String audience) {
        if (!AUDIENCES.contains(audience)) {
            throw new IllegalArgumentException("unknown audience");
        }
        Optional<String> existing = QuarkusTransaction.joiningExisting().call(() -> find(residentId, audience));
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                LinkCode link = new LinkCode();
                link.key = new LinkCode.Key(residentId, audience);
                link.code = newCode();
                link.createdAt = OffsetDateTime.now();
                link.persist();
                link.flush();
                created.fire(new LinkCodeCreated(List.of(residentId), audience));
                return link.code;
            });
        } catch (RuntimeException raced) {
            return QuarkusTransaction.requiringNew().call(() -> find(residentId, audience)).orElseThrow(() -> raced);
        }
    }

    /**
     * The codes of many residents for one audience in the caller's transaction: existing ones in one query, missing
     * ones inserted (batched). A concurrent first use of the same code makes the caller's transaction fail on the
     * code's key; the caller runs it again and then finds that code.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Map<Long, String> codesFor(java.util.Collection<Long> residentIds, String audience) {
        if (!AUDIENCES.contains(audience)) {
            throw new IllegalArgumentException("unknown audience");
        }
        java.util.Map<Long, String> codes = new java.util.HashMap<>();
        LinkCode.<LinkCode>find("key.audience = ?1 and key.residentId in ?2", audience, Set.copyOf(residentIds))
                .stream().forEach(l -> codes.put(l.key.residentId(), l.code));
        OffsetDateTime now = OffsetDateTime.now();
        List<Long> fresh = new java.util.ArrayList<>();
        for (Long residentId : residentIds) {
            codes.computeIfAbsent(residentId, id -> {
                LinkCode link = new LinkCode();
                link.key = new LinkCode.Key(id, audience);
                link.code = newCode();
                link.createdAt = now;
                link.persist();
                fresh.add(id);
                return link.code;
            });
        }
        // A clash surfaces here, in the caller's code, not at commit, where the transaction manager logs it with the
        // driver's message (which names the clashing values).
        LinkCode.flush();
        if (!fresh.isEmpty()) {
            created.fire(new LinkCodeCreated(fresh, audience));
        }
        return codes;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> find(long residentId, String audience) {
        LinkCode link = LinkCode.findById(new LinkCode.Key(residentId, audience));
        return Optional.ofNullable(link).map(l -> l.code);
    }

    /** The resident behind a code, only when the code was issued for this audience. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> residentFor(String audience, String code) {
        if (code == null || code.length() > 32) {
            return Optional.empty();
        }
        return LinkCode.<LinkCode>find("code = ?1 and key.audience = ?2", code, audience)
                .firstResultOptional().map(l -> l.key.residentId());
    }

    /** The residents behind these codes of one audience, in one query; unknown codes are simply absent. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Map<String, Long> residentsFor(String audience, java.util.Collection<String> codes) {
        List<String> wellFormed = codes.stream().filter(c -> c != null && c.length() <= 32).distinct().toList();
        if (wellFormed.isEmpty()) {
            return java.util.Map.of();
        }
        return LinkCode.<LinkCode>find("code in ?1 and key.audience = ?2", wellFormed, audience).stream()
                .collect(java.util.stream.Collectors.toMap(l -> l.code, l -> l.key.residentId(), (a, b) -> a));
    }

    private String newCode() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
