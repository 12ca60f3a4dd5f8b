package org.myna.platform.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.h2.tools.Server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database that answers only {@link #DELAY} after it was first asked, as one does while it starts, or as a loaded
 * machine's first connection did (Flyway's first connection at start took longer than the pool's acquisition
 * timeout, and the service died). A TCP proxy in front of the test's own database holds every connection made in
 * that window and only then passes it on; the service's datasource URL is pointed at the proxy.
 * <p>
 * The database behind it is the run's own: PostgreSQL when the run is on it ({@code -Dquarkus.datasource.db-kind=
 * postgresql}, URL from the environment variable named by the {@code url-env} argument), else an in-memory H2 served
 * over TCP. The clock starts at the first connection, not at this resource's start, so a slow boot cannot use up the
 * delay before the service asks.
 */
public class LateDatabase implements QuarkusTestResourceLifecycleManager {

    /** Longer than the test profile's acquisition timeout (2 s) with room to spare. */
    public static final Duration DELAY = Duration.ofSeconds(6);

    /** Connections the proxy held back, as a system property: the test and this resource may load different classes. */
    public static final String HELD = "myna.test.late-database.held";

    private static final Pattern POSTGRES = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/(.*)");
    private static final String H2_OPTIONS = ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private String urlEnv;
    private Server h2;
    private Proxy proxy;

    @Override
    public void init(Map<String, String> initArgs) {
        urlEnv = initArgs.get("url-env");
    }

    @Override
    public Map<String, String> start() {
        System.clearProperty(HELD);
        String url;
        if ("postgresql".equals(System.getProperty("quarkus.datasource.db-kind"))) {
            String real = System.getenv().getOrDefault(urlEnv, "jdbc:postgresql://localhost:5432/myna");
            Matcher m = POSTGRES.matcher(real);
            if (!m.matches()) {
                throw new IllegalStateException(urlEnv + " is not a PostgreSQL URL: " + real);
            }
            proxy = new Proxy(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
            url = "jdbc:postgresql://localhost:" + proxy.port() + "/" + m.group(3);
        } else {
            try {
                h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException("H2's TCP server did not start", e);
            }
            proxy = new Proxy("localhost", h2.getPort());
            url = "jdbc:h2:tcp://localhost:" + proxy.port() + "/mem:late" + H2_OPTIONS;
        }
        // Every profile's URL key, so that none of the application's own profiled URLs wins over this one.
        return Map.of("quarkus.datasource.jdbc.url", url, "%test.quarkus.datasource.jdbc.url", url,
                "%postgres.quarkus.datasource.jdbc.url", url);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    /** Holds each connection until {@link #DELAY} after the first one, then copies bytes both ways. */
    static final class Proxy {
        private final ServerSocket server;
        private final String host;
        private final int targetPort;
        private final AtomicLong firstAsked = new AtomicLong();
        private final AtomicInteger held = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Proxy(String host, int targetPort) {
            this.host = host;
            this.targetPort = targetPort;
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            daemon("late-database-accept", this::accept);
        }

        private static void daemon(String name, Runnable work) {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    sockets.add(client);
                    firstAsked.compareAndSet(0, System.nanoTime());
                    daemon("late-database-connection", () -> pass(client));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void pass(Socket client) {
            long wait = firstAsked.get() + DELAY.toNanos() - System.nanoTime();
            try {
                if (wait > 0) {
                    System.setProperty(HELD, Integer.toString(held.incrementAndGet()));
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Socket database = new Socket(host, targetPort);
                sockets.add(database);
                daemon("late-database-up", () -> copy(client, database));
                copy(database, client);
            } catch (IOException | InterruptedException e) {
                close(client);
            }
        }

        private static void copy(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: close both below
            } finally {
                close(from);
                close(to);
            }
        }

        private static void close(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
            sockets.forEach(Proxy::close);
        }
    }
}
