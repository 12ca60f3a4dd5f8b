package org.myna.wallet.common;

import io.quarkus.test.junit.QuarkusTest;
import org.myna.platform.testkit.EmbeddedDatabaseCheckContract;

@QuarkusTest
class EmbeddedDatabaseCheckTest extends EmbeddedDatabaseCheckContract {
}
