package org.myna.registry.exchange;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.card.Card;
import org.myna.registry.linkcode.LinkCodeCreated;
import org.myna.registry.me.PublicFundAccount;
import org.myna.registry.outbox.EventsApi;
import org.myna.registry.outbox.Outbox;


/**
 * The facts a grant needs, as the wallet's eligibility-facts events carry them (issue 18 §2): the same questions the
 * exchange answers ({@link ExchangeService#answer}), read when the event is delivered. The insurance link is not among
 * them: the insurance service owns it and the registry hears of it only by asking, so that rule still asks.
 */
@ApplicationScoped
public class EligibilityFacts {

    /** Who the access log names as the reader of the facts delivered: the wallet, as for its exchange questions. */
    static final String WALLET_CLIENT = "wallet-service";
    static final String FIELDS = "card-active,public-fund-account";

    private final Outbox outbox;
    private final EntityManager em;
    private final AccessLog accessLog;
    private final String sequence;

    public EligibilityFacts(Outbox outbox, EntityManager em, AccessLog accessLog,
                            @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.outbox = outbox;
        this.accessLog = accessLog;
        this.em = em;
        this.sequence = "select nextval('" + schema + ".eligibility_facts_seq')";
    }

    /**
     * The facts now, in the caller's transaction. The sequence value is drawn first: a read that draws a higher value
     * started later, and so saw every change committed before the lower one's read (READ COMMITTED reads each
     * statement's own snapshot); the receiver keeps the highest and loses no change whose event was delivered.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventsApi.EligibilityFacts read(long residentId) {
        long seq = ((Number) em.createNativeQuery(sequence).getSingleResult()).longValue();
        return new EventsApi.EligibilityFacts(seq, cardActive(residentId), publicFundAccount(residentId));
    }

    /** The exchange's card-active question, as the facts answer it too. */
    static boolean cardActive(long residentId) {
        return Card.count("activeResidentId", residentId) > 0;
    }

    /** The exchange's public-fund-account question, as the facts answer it too. */
    static boolean publicFundAccount(long residentId) {
        return PublicFundAccount.findById(residentId) != null;
    }

    /** The resident's access log says the wallet was told these facts, as it said for each exchange question. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delivered(long residentId) {
        accessLog.record(residentId, WALLET_CLIENT, "service", AccessLog.EXCHANGE, "wallet:eligibility-facts", FIELDS);
    }

    /** The wallet's first link code for residents: their facts so far (its earlier events were skipped for it). */
    void onLinkCodeCreated(@Observes LinkCodeCreated created) {
        if (!outbox.keepsEligibilityFacts(created.audience())) {
            return;
        }
        for (Long residentId : created.residentIds()) {
            outbox.publishEligibilityFacts(residentId, created.audience());
        }
    }
}
