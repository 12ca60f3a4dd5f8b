package org.myna.registry.cardlogin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hourly purge fires on every replica (each its own timer): the replica that takes the hour's lease purges, the
 * others pass until the hour is over. Replicas here are instances sharing this database, each its own lease holder.
 */
@QuarkusTest
class CardLoginPurgeTest {

    @Inject
    EntityManager em;

    @Test
    void replicasRacingThePurgeRunItOnceAnHour() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update {h-schema}job_lease set expires_at = ?1 where name = ?2")
                .setParameter(1, OffsetDateTime.parse("1970-01-01T00:00:00Z")).setParameter(2, CardLoginPurge.JOB).executeUpdate());
        String stale = challenge(OffsetDateTime.now().minusDays(2));
        String live = challenge(OffsetDateTime.now().plusMinutes(5));

        int replicas = 6;
        List<CardLoginPurge> purges = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            purges.add(new CardLoginPurge(em));
        }
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        List<Boolean> ran = new ArrayList<>();
        try {
            CountDownLatch fire = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (CardLoginPurge p : purges) {
                outcomes.add(pool.submit(() -> {
                    fire.await();
                    return p.purge();
                }));
            }
            fire.countDown();
            for (Future<Boolean> f : outcomes) {
                ran.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ran).filteredOn(Boolean::booleanValue).as("replicas that purged").hasSize(1);
        assertThat(exists(stale)).isFalse();
        assertThat(exists(live)).isTrue();

        // Within the hour another replica's timer passes; the holder's next hour is its own.
        String later = challenge(OffsetDateTime.now().minusDays(2));
        CardLoginPurge holder = purges.get(ran.indexOf(true));
        for (CardLoginPurge other : purges) {
            if (other != holder) {
                assertThat(other.purge()).isFalse();
            }
        }
        assertThat(exists(later)).isTrue();
        assertThat(holder.purge()).isTrue();
        assertThat(exists(later)).isFalse();
    }

    String challenge(OffsetDateTime expiresAt) {
        String id = UUID.randomUUID().toString().replace("-", "");
        QuarkusTransaction.requiringNew().run(() -> {
            AuthChallenge c = new AuthChallenge();
            c.id = id;
            c.nonce = "n-" + id;
            c.createdAt = expiresAt.minusMinutes(5);
            c.expiresAt = expiresAt;
            c.persist();
        });
        return id;
    }

    boolean exists(String id) {
        return QuarkusTransaction.requiringNew().call(() -> AuthChallenge.findById(id) != null);
    }
}
