package org.myna.wallet.common;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.myna.platform.testkit.LateDatabaseContract;

@QuarkusTest
@TestProfile(LateDatabaseTest.LateWalletDatabase.class)
class LateDatabaseTest extends LateDatabaseContract {

    public static class LateWalletDatabase extends LateDatabaseContract.Profile {
        @Override
        protected String urlEnv() {
            return "WALLET_DB_URL";
        }
    }
}
