package io.updraft.gateway.persistence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.domain.PollView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One dedicated connection per replica LISTENing on {@value DeviceNotifications#CHANNEL}: every notified device id is
 * evicted from the poll view cache (its {@link Subscriber}). Outside the pool on purpose, since a pooled connection
 * would be reset or recycled under it. A lost connection makes the cache deaf (cleared, bypassed) until it is
 * re-established.
 */
@ApplicationScoped
public class DeviceChangeListener {
    private static final Logger LOG = Logger.getLogger(DeviceChangeListener.class);
    /** Visible in pg_stat_activity, which lets tests and operators find this connection. */
    public static final String APPLICATION_NAME = "device-gateway-listener";

    /** What the listener keeps up to date: the poll view cache. */
    public interface Subscriber {
        /** The listener is connected: from now on every change is heard, so cached views can be trusted. */
        void listening();

        /** The listener lost its connection: changes may go unheard, so stop caching until it is back. */
        void deaf();

        /** {@code deviceKey}: {@link io.updraft.gateway.domain.DeviceKeys}, the NOTIFY payload. */
        void evict(String deviceKey);

        /** Fills the cache from a snapshot read after LISTEN was established. */
        void warm(Consumer<BiConsumer<String, PollView>> source);

        /** Devices with a slot (cached or being filled). */
        int size();
    }

    @Inject
    Subscriber cache;
    @Inject
    DeviceViewStore store;
    @Inject
    GatewayConfig config;
    @Inject
    MeterRegistry metrics;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final AtomicLong connections = new AtomicLong();
    private volatile boolean running;
    private volatile Connection connection;
    private Thread worker;

    void start(@Observes StartupEvent startup) {
        Gauge.builder("updraft.gateway.poll.cache.devices", cache, Subscriber::size)
                .description("devices whose poll view is in memory").register(metrics);
        running = true;
        worker = new Thread(this::run, "device-change-listener");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        closeQuietly();
        if (worker != null) {
            worker.join(5_000);
        }
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            try {
                connection = connect();
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + DeviceNotifications.CHANNEL);
                }
                // Changes made while we were not listening are unknown: start from an empty cache.
                cache.listening();
                connections.incrementAndGet();
                warmUp();
                backoffMillis = 100;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications(500);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            cache.evict(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                cache.deaf();
                if (running) {
                    LOG.warnf("device change listener lost its connection, reconnecting in %d ms: %s", backoffMillis,
                            e.getMessage());
                    pause(backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, 5_000);
                }
            } finally {
                closeQuietly();
            }
        }
        cache.deaf();
    }

    /**
     * Loads every device's view in one streamed query, beside this thread (which must keep hearing changes), so that a
     * fleet polling right after a (re)start finds the cache full instead of sending one query per device.
     */
    private void warmUp() {
        if (!config.warmCache()) {
            return;
        }
        Thread warm = new Thread(() -> {
            long started = System.nanoTime();
            long[] loaded = { 0 };
            try {
                cache.warm(sink -> {
                    try {
                        loaded[0] = store.loadAll(sink);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                LOG.infof("poll cache warmed: %d devices in %d ms", loaded[0], (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf("poll cache warm-up failed, views load on demand: %s", e.getMessage());
            }
        }, "device-view-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** How often LISTEN was (re-)established since start. */
    public long connections() {
        return connections.get();
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", APPLICATION_NAME);
        // Keeps a half-open TCP connection from hiding a dead server forever.
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url, props);
    }

    private void closeQuietly() {
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException ignored) {
                // already broken: nothing left to release
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
