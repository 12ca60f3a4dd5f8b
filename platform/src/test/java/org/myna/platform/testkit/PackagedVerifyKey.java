package org.myna.platform.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged artifact holds no test resources: it is told where the test token-verification key is on disk (the
 * test profile names it as a class-path resource, which only the @QuarkusTest class path has).
 */
public class PackagedVerifyKey implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Path key = Path.of("target/test-classes/test-verify-key.pem").toAbsolutePath();
        return Map.of("mp.jwt.verify.publickey.location", key.toUri().toString());
    }

    @Override
    public void stop() {
    }
}
