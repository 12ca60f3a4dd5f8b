package org.myna.insurance.common;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.myna.platform.testkit.LateDatabaseContract;

@QuarkusTest
@TestProfile(LateDatabaseTest.LateInsuranceDatabase.class)
class LateDatabaseTest extends LateDatabaseContract {

    public static class LateInsuranceDatabase extends LateDatabaseContract.Profile {
        @Override
        protected String urlEnv() {
            return "INSURANCE_DB_URL";
        }
    }
}
