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

    @Inject
    EventProducer producer;
    @Inject
    GatewayConfig config;
    @Inject
    MeterRegistry metrics;

    private final ConcurrentHashMap<String, Instant> lastSent = new ConcurrentHashMap<>();
    private final BlockingQueue<DeviceReport.DeviceSeen> outgoing = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
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

    public void seen(String controllerId) {
        Instant now = EventMeta.now();
        boolean[] due = { false };
        lastSent.compute(controllerId, (id, last) -> {
            if (last == null || !now.isBefore(last.plus(config.heartbeatSample()))) {
                due[0] = true;
                return now;
            }
            return last;
        });
        if (due[0] && !outgoing.offer(new DeviceReport.DeviceSeen(EventMeta.newId(), now, UpdraftEvent.SCHEMA_VERSION,
                controllerId)) && dropped != null) {
            dropped.increment();
        }
    }

    private void drain() {
        while (running) {
            try {
                DeviceReport.DeviceSeen heartbeat = outgoing.poll(500, TimeUnit.MILLISECONDS);
                if (heartbeat != null) {
                    producer.sendLossy(heartbeat);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debugf("heartbeat not sent: %s", e.getMessage());
            }
        }
    }
}
