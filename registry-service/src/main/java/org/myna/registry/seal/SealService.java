package org.myna.registry.seal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.Transactional;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.outbox.Outbox;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.Resident;
import org.myna.registry.resident.ResidentChanged;
import org.myna.registry.resident.ResidentService;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/** Seal registration (印鑑登録) and de-registration, by a clerk or as a consequence of a change to the resident. */
@ApplicationScoped
public class SealService {

    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    static final Set<String> CLERK_REASONS = Set.of("resident-request", "card-lost");

    private final ResidentService residents;
    private final AccessLog accessLog;
    private final SealConfig config;

    private final Outbox outbox;

    public SealService(ResidentService residents, AccessLog accessLog, SealConfig config, Outbox outbox) {
        this.outbox = outbox;
        this.residents = residents;
        this.accessLog = accessLog;
        this.config = config;
    }

    public record Registered(String registrationCardNumber, long sealId, long version, String imageSha256) {
    }

    public record Deregistered(long sealId, String status, String reason, OffsetDateTime deregisteredAt, long version) {
    }

    /**
     * The resident row is locked first, as a change of name, address or death locks it: a registration cannot
     * interleave with the change that would have de-registered it.
     */
    @Transactional
    public Registered register(IndividualNumber number, ImageInspector.Inspected image) {
        Resident resident = residents.require(number, LockModeType.PESSIMISTIC_WRITE);
        if (!resident.isActive()) {
            throw Problem.conflict("resident-deceased", "A seal cannot be registered for a deceased resident.");
        }
        LocalDate today = LocalDate.now(JAPAN);
        if (Period.between(resident.dateOfBirth, today).getYears() < config.minimumAge()) {
            throw new Problem(422, "too-young", "A seal can be registered from the age of " + config.minimumAge() + ".");
        }
        if (Seal.count("activeResidentId", resident.id) > 0) {
            throw alreadyRegistered();
        }
        Seal seal = new Seal();
        seal.residentId = resident.id;
        seal.activeResidentId = resident.id;
        seal.registrationCardNumber = Codes.random(16);
        seal.status = Seal.ACTIVE;
        seal.imageSha256 = image.sha256();
        seal.mediaType = image.mediaType();
        seal.registeredAt = OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        try {
            seal.persistAndFlush();
            SealImage stored = new SealImage();
            stored.sealId = seal.id;
            stored.image = image.bytes();
            stored.persistAndFlush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_seal_active_resident")) {
                throw alreadyRegistered();
            }
            throw e;
        }
        accessLog.record(resident.id, AccessLog.CREATE, "seal-registration", "seal");
        return new Registered(seal.registrationCardNumber, seal.id, seal.version, seal.imageSha256);
    }

    @Transactional
    public Deregistered deregister(long sealId, String reason) {
        if (reason == null || !CLERK_REASONS.contains(reason)) {
            throw Problem.invalidField("reason", "invalid-reason", "reason must be one of " + String.join(", ", CLERK_REASONS.stream().sorted().toList()) + ".");
        }
        Seal seal = lock(sealId).orElseThrow(() -> Problem.notFound("seal-not-found", "No such seal."));
        if (!seal.isActive()) {
            throw Problem.conflict("seal-deregistered", "The seal is already de-registered.");
        }
        deregister(seal, reason);
        Seal.flush();
        return new Deregistered(seal.id, seal.status, seal.deregistrationReason, seal.deregisteredAt, seal.version);
    }

    /**
     * A change of name or address, or a death, ends the registration in the same transaction as the change: there
     * is no moment at which the register is changed and the old seal still certifies.
     */
    void onResidentChanged(@Observes ResidentChanged change) {
        String reason = switch (change.kind()) {
            case RENAMED -> "name-changed";
            case MOVED -> "moved-out";
            case DECEASED -> "deceased";
        };
        Optional<Seal> active = Seal.<Seal>find("activeResidentId", change.residentId())
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        active.ifPresent(seal -> {
            Seal.getEntityManager().refresh(seal);
            if (seal.isActive()) {
                deregister(seal, reason);
            }
        });
    }

    private void deregister(Seal seal, String reason) {
        seal.deregister(reason, OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        accessLog.record(seal.residentId, AccessLog.UPDATE, "seal-deregistration:" + reason, "seal");
        outbox.publish(seal.residentId, Outbox.SEAL_DEREGISTERED);
    }

    /** SELECT ... FOR UPDATE on the seal row; issuance takes the same lock. Re-read after the wait. */
    static Optional<Seal> lock(long sealId) {
        try {
            Seal seal = Seal.findById(sealId, LockModeType.PESSIMISTIC_WRITE);
            if (seal != null) {
                Seal.getEntityManager().refresh(seal);
            }
            return Optional.ofNullable(seal);
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw busy();
        }
    }

    static Problem busy() {
        return new Problem(409, "seal-busy", "The seal is being changed by another request; retry.");
    }

    private static Problem alreadyRegistered() {
        return Problem.conflict("seal-already-registered", "The resident already has a registered seal; de-register it first.");
    }
}
