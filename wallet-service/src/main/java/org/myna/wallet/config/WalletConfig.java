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

    Idempotency idempotency();

    interface Idempotency {
        /**
         * A key reserved this long ago and still without a response belongs to a request that died with its process
         * (kill -9, OOM, a node lost): a retry may take it over instead of hearing "in progress" for ever. A live
         * request that is slower than this still cannot double its effect: completing its key fails and rolls it back.
         */
        @WithDefault("PT30S")
        Duration abandonedAfter();
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
