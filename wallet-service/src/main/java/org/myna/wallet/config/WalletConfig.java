package org.myna.wallet.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "wallet")
public interface WalletConfig {

    Registry registry();

    /** The campaign a request means when it names none. */
    @WithDefault("mynapoint-2")
    String defaultCampaign();


    /** The batched ledger writer (read by {@link org.myna.wallet.ledger.batch.LedgerWriter}). */
    Ledger ledger();

    interface Ledger {
        /** Requests per transaction at most. */
        @WithDefault("200")
        int batchSize();

        /** Requests that may wait for the writer; beyond, 503 ledger-busy. */
        @WithDefault("4096")
        int queueCapacity();

        /** On shutdown, after the requests in flight: how long the writer may take to commit what is still queued. */
        @WithDefault("PT10S")
        Duration drainTimeout();
    }

    /** Two-phase redemptions (read by {@link org.myna.wallet.payment.AuthorizationService}). */
    Authorization authorization();

    interface Authorization {
        /** How long an authorisation holds its points when the provider does not say. */
        @WithDefault("PT24H")
        Duration validity();

        /** The longest a provider may ask for ({@code validForSeconds}). */
        @WithDefault("P7D")
        Duration maxValidity();

        /** How often due authorisations are expired (a Quarkus scheduler period, e.g. 5s). */
        @WithDefault("5s")
        String sweepInterval();
    }

    interface Registry {
        String url();

        String clientId();

        String clientSecret();

        /** Renew the cached service token this long before it expires. */
        @WithDefault("PT30S")
        Duration tokenRenewBefore();
    }
}
