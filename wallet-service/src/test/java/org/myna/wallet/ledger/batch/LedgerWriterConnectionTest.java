package org.myna.wallet.ledger.batch;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;
import org.myna.platform.testkit.Sessions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * The ledger writer keeps its connection and statements across batches: one connection for several batches, and a
 * session killed between two batches is replaced, the batch in flight run again whole and every request answered.
 */
@QuarkusTest
class LedgerWriterConnectionTest {

    @Inject
    LedgerWriter writer;

    @Inject
    LedgerFaults faults;

    @Inject
    MeterRegistry meters;

    @Inject
    DataSource dataSource;

    @Inject
    AgroalDataSource pool;

    private final ExecutorService clients = Executors.newFixedThreadPool(6);

    @AfterEach
    void release() {
        faults.disarm();
        clients.shutdownNow();
    }

    private double connections() {
        return meters.find("wallet.ledger.connections").counter().count();
    }

    private double batches() {
        return meters.find("wallet.ledger.batch.size").summary().count();
    }

    @Test
    void theWriterKeepsOneConnectionAcrossBatches() {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        double connectionsBefore = connections();
        double batchesBefore = batches();
        String provider = Tokens.payment(PROVIDER);
        for (int i = 0; i < 3; i++) {
            Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 1_000, "campaign", campaign))
                    .then().statusCode(201);
        }
        assertThat(batches() - batchesBefore).isGreaterThanOrEqualTo(3);
        // None, or the one taken again if the writer gave its connection back after 3 s idle in between.
        assertThat(connections() - connectionsBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void aSessionKilledBetweenBatchesIsReplacedAndTheRequestsInFlightAreAnswered() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String a = Tokens.linkCode();
        String b = Tokens.linkCode();
        Wallet.choose(a, campaign, service);
        String accountB = Wallet.choose(b, campaign, service);
        Wallet.apply(b, campaign, "card-acquisition").then().statusCode(201); // the writer now holds a connection
        double connectionsBefore = connections();
        faults.beforeNextBatch.set(this::kill);

        CountDownLatch hold = new CountDownLatch(1);
        faults.hold = hold;
        Thread.sleep(300); // the writer polls at most 100 ms before it checks the hold again
        String provider = Tokens.payment(PROVIDER);
        List<Future<Response>> sent = new ArrayList<>();
        sent.add(send(() -> Wallet.apply(a, campaign, "insurance-link"), 1));
        sent.add(send(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", accountB, "amount", 1_000, "campaign", campaign)), 2));
        sent.add(send(() -> Wallet.apply(b, campaign, "insurance-link"), 3));
        hold.countDown();
        for (Future<Response> f : sent) {
            Response r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        }
        assertThat(faults.beforeNextBatch.get()).as("the kill happened").isNull();
        assertThat(connections() - connectionsBefore).isGreaterThanOrEqualTo(1); // a new one replaced it
        dropKilledSessions();
        assertThat(Wallet.balance(a, campaign)).isEqualTo(7500);
        assertThat(Wallet.balance(b, campaign)).isEqualTo(7500 + 250);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
        // And the writer goes on.
        Wallet.post(provider, "/api/charges", Map.of("paymentAccount", accountB, "amount", 1_000, "campaign", campaign)).then().statusCode(201);
    }

    private Future<Response> send(Supplier<Response> request, int queuedAfter) {
        Future<Response> f = clients.submit(request::get);
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queueDepth() >= queuedAfter || f.isDone());
        assertThat(f.isDone()).as("answered before its batch").isFalse();
        return f;
    }

    /** Kills the database session of the writer's connection {@code c}, as an administrator would. */
    private void kill(Connection c) throws SQLException {
        Sessions.kill(dataSource, c);
    }

    /**
     * Agroal has no exception sorter for H2, so a killed H2 session the writer gave back stays in the pool as good (on
     * PostgreSQL the sorter drops it): the pool's connections are replaced before the test reads through it.
     */
    private void dropKilledSessions() throws SQLException {
        Connection raw;
        try (Connection c = dataSource.getConnection()) {
            raw = c.unwrap(Connection.class);
        }
        pool.flush(AgroalDataSource.FlushMode.GRACEFUL);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(raw::isClosed);
    }
}
