package org.myna.registry.common;

import io.quarkus.test.junit.QuarkusTest;
import org.myna.platform.testkit.EmbeddedDatabaseCheckContract;

@QuarkusTest
class EmbeddedDatabaseCheckTest extends EmbeddedDatabaseCheckContract {
}
