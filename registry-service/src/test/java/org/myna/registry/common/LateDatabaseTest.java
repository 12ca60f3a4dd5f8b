package org.myna.registry.common;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.myna.platform.testkit.LateDatabaseContract;

@QuarkusTest
@TestProfile(LateDatabaseTest.LateRegistryDatabase.class)
class LateDatabaseTest extends LateDatabaseContract {

    public static class LateRegistryDatabase extends LateDatabaseContract.Profile {
        @Override
        protected String urlEnv() {
            return "REGISTRY_DB_URL";
        }
    }
}
