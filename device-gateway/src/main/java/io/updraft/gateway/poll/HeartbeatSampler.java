package io.updraft.gateway.poll;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.support.kafka.EventProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Turns polls into at most one DeviceSeen per device per sampling interval. Lossy by design: a restart or a second
 * replica may send one extra heartbeat, which costs nothing; a database write per poll would. The poll only queues
 * the heartbeat: one background thread hands them to Kafka, so a slow broker (a full producer buffer blocks
 * {@code send}) can never hold up a poll; when the queue is full the heartbeat is dropped and counted.
 */
@ApplicationScoped
public class HeartbeatSampler {
    private static final Logger LOG = Logger.getLogger(HeartbeatSampler.class);
    static final int QUEUE_CAPACITY = 50_000;
    private static final int BATCH = 1_000;

    @Inject
    EventProducer producer;
    @Inject
    GatewayConfig config;
    @Inject
    MeterRegistry metrics;

    /** A heartbeat owed: the event itself (id, JSON) is made by the sender thread, off the poll's thread. */
    private record Seen(String controllerId, long atMillis) {
    }

    /** When each device's last heartbeat left, in epoch milliseconds. */
    private final ConcurrentHashMap<String, Long> lastSent = new ConcurrentHashMap<>();
    private final BlockingQueue<Seen> outgoing = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private Counter dropped;
    private volatile boolean running;
    private Thread sender;

    void start(@Observes StartupEvent startup) {
        dropped = Counter.builder("updraft.gateway.heartbeats.dropped")
                .description("DeviceSeen heartbeats dropped because Kafka could not keep up").register(metrics);
        running = true;
        sender = new Thread(this::drain, "heartbeat-sender");
        sender.setDaemon(true);
        sender.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (sender != null) {
            sender.interrupt();
            sender.join(5_000);
        }
    }

    /**
     * Runs on every poll, mostly on the I/O thread: a device heard from within the sample costs one lock-free map
     * read; otherwise one compare-and-set decides which poll owes the heartbeat, and only a small note is queued.
     */
    public void seen(String controllerId) {
        long now = System.currentTimeMillis();
        Long last = lastSent.get(controllerId);
        if (last != null && now - last < config.heartbeatSample().toMillis()) {
            return;
        }
        Long stamp = now;
        boolean due = last == null ? lastSent.putIfAbsent(controllerId, stamp) == null
                : lastSent.replace(controllerId, last, stamp);
        if (due && !outgoing.offer(new Seen(controllerId, now)) && dropped != null) {
            dropped.increment();
        }
    }

    private void drain() {
        List<Seen> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Seen first = outgoing.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outgoing.drainTo(batch, BATCH - 1);
                for (Seen seen : batch) {
                    producer.sendLossy(new DeviceReport.DeviceSeen(EventMeta.newId(),
                            Instant.ofEpochMilli(seen.atMillis()), UpdraftEvent.SCHEMA_VERSION, seen.controllerId()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debugf("heartbeat not sent: %s", e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }
}
