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


    interface Registry {
        String url();

        String clientId();

        String clientSecret();

        /** Renew the cached service token this long before it expires. */
        @WithDefault("PT30S")
        Duration tokenRenewBefore();
    }
}
