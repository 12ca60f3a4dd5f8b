package org.myna.platform.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The log scanner catches each kind the issue names, and passes the services' ordinary lines. */
class LogLeaksTest {

    @Test
    void catchesEveryKind() {
        assertThat(LogLeaks.in("WARN granted to q3Zk0cN_9xL2mTa8bRw4Yg")).contains("link code");
        assertThat(LogLeaks.in("DEBUG bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig")).contains("token");
        assertThat(LogLeaks.in("WARN duplicate key 5f0c7e0a-4a4b-4c4d-9e9f-0a1b2c3d4e5f")).contains("token id or idempotency key");
        assertThat(LogLeaks.in("DEBUG nonce Hq3ZkP0cN_9xL2mTa8bRw4YgHq3ZkP0cN_9xL2mTa8b")).contains("nonce");
        assertThat(LogLeaks.in("INFO registered 山田 花子")).contains("personal name or address");
        assertThat(LogLeaks.in("ERROR body grant_type=client_credentials&client_secret=abc")).contains("secret");
        assertThat(LogLeaks.in("WARN Unique index violation: \"PUBLIC.UQ ON PUBLIC.T(K) VALUES ( /* 1 */ 'x' )\""))
                .contains("driver detail with clashing values");
        assertThat(LogLeaks.in("INFO reading 123456789018")).contains("individual number");
    }

    @Test
    void passesOrdinaryLines() {
        assertThat(LogLeaks.in("07:21:29.752 INFO  traceId=4bf92f3577b34da6a3ce929d0e0e4736 [io.quarkus] (main) "
                + "wallet-service 0.1.0-SNAPSHOT on JVM (powered by Quarkus 3.33.2) started in 3.2s.")).isEmpty();
        assertThat(LogLeaks.in("WARN  [http-problem] 409 payment-account-taken")).isEmpty();
        assertThat(LogLeaks.in("INFO  [io.sma.health] SRHCK01001: Reporting health down status")).isEmpty();
    }
}
