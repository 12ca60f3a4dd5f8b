package org.myna.insurance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "insurance")
public interface InsuranceConfig {

    Registry registry();

    Eligibility eligibility();

    Reconciliation reconciliation();

    interface Registry {
        String url();

        String clientId();

        String clientSecret();

        /** A token is fetched again this long before it expires. */
        @WithDefault("PT30S")
        Duration tokenRefreshMargin();

        /** The CA certificate is a trust anchor and may be cached; certificate status never is. */
        @WithDefault("PT1H")
        Duration caCacheTtl();
    }

    interface Eligibility {
        /** How long a facility may take between asking for a nonce and sending the card's signature. */
        @WithDefault("PT2M")
        Duration challengeTtl();

        /**
         * HMAC key (base64, at least 32 bytes) that authenticates the challenges handed to facilities; the same on
         * every node, from a Secret in production.
         */
        String nonceKey();

        /** Card checks answered at once on this node; more wait {@link #admissionWait()}, then get 503 busy. */
        @WithDefault("32")
        int maxChecksInFlight();

        @WithDefault("PT0.5S")
        Duration admissionWait();

        /** The card checks' batched writer (group commit, issue 18 §1). */
        Writer writer();
    }

    interface Writer {
        /** Checks committed together at most. */
        @WithDefault("200")
        int batchSize();

        /** Checks waiting for the writer at most; one more is refused 503 busy. */
        @WithDefault("1024")
        int queueCapacity();

        /** On shutdown, how long the writer may take to commit what is queued. */
        @WithDefault("PT10S")
        Duration drainTimeout();
    }

    interface Reconciliation {
        /** Quartz-style cron, or "off". */
        @WithDefault("0 0 3 * * ?")
        String cron();

        /** Members per registry call; the registry's verifications endpoint takes at most 500. */
        @WithDefault("500")
        int pageSize();

        /**
         * The scheduled run's lease: one replica runs it, renewing page by page; a replica that dies frees it this
         * long after its last page. Longer than a page's registry call, and than the spread of the replicas' crons.
         */
        @WithDefault("PT10M")
        Duration lease();
    }
}
