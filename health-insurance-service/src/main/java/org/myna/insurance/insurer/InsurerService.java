package org.myna.insurance.insurer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.problem.Problem;

import java.time.OffsetDateTime;

@ApplicationScoped
public class InsurerService {

    @Transactional
    public Insurer create(CreateInsurerRequest request, String ownerClientId) {
        InsurerNumber number = insurerNumber(request.insurerNumber());
        CorporateNumber.defectOf(request.corporateNumber()).ifPresent(d -> {
            throw Problem.invalidField("corporateNumber", "invalid-corporate-number",
                    "The corporate number must be 13 digits with a valid leading check digit (" + d.name().toLowerCase().replace('_', '-') + ").");
        });
        if (Insurer.byNumber(number.digits()).isPresent()) {
            throw Problem.conflict("insurer-exists", "An insurer with this number is already registered.");
        }
        Insurer insurer = new Insurer();
        insurer.insurerNumber = number.digits();
        insurer.name = request.name();
        insurer.corporateNumber = request.corporateNumber();
        insurer.ownerClientId = ownerClientId;
        insurer.createdAt = OffsetDateTime.now();
        insurer.persist();
        insurer.flush();
        return insurer;
    }

    public static InsurerNumber insurerNumber(String candidate) {
        InsurerNumber.defectOf(candidate).ifPresent(d -> {
            throw Problem.invalidField("insurerNumber", "invalid-insurer-number",
                    "The insurer number must be 6 or 8 digits with a valid check digit (" + d.name().toLowerCase().replace('_', '-') + ").");
        });
        return InsurerNumber.parse(candidate);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Insurer require(String number) {
        return Insurer.byNumber(number)
                .orElseThrow(() -> Problem.notFound("insurer-not-found", "No insurer is registered under this number."));
    }

    /** The insurer, when the calling client owns it; another insurer's client gets a 403. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Insurer requireOwn(String number, String clientId) {
        Insurer insurer = require(number);
        if (!insurer.ownerClientId.equals(clientId)) {
            throw new Problem(403, "not-your-insurer", "This client does not act for this insurer.");
        }
        return insurer;
    }
}
