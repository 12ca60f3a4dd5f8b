package org.myna.platform.testkit;

import org.myna.platform.groupcommit.GroupCommitWriter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A connection pool exhausted, as a burst of slow work would, to prove that a service answers 503, never 500. */
public final class Pools {

    private Pools() {
    }

    /**
     * Takes every connection of {@code pool} until it refuses one, then again once a group-commit writer has given back
     * the connection it keeps (after {@link GroupCommitWriter#IDLE_RELEASE} without a batch). The caller closes them.
     */
    public static List<Connection> exhaust(DataSource pool) throws InterruptedException {
        List<Connection> held = new ArrayList<>();
        takeAll(pool, held);
        Thread.sleep(GroupCommitWriter.IDLE_RELEASE.toMillis() + 500);
        takeAll(pool, held);
        return held;
    }

    private static void takeAll(DataSource pool, List<Connection> held) {
        while (true) {
            try {
                held.add(pool.getConnection());
            } catch (SQLException exhausted) {
                return;
            }
        }
    }
}
