package io.updraft.gateway.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.service.DeviceViewCache;
import io.updraft.gateway.service.Heartbeats;
import io.updraft.support.kafka.EventProducer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Turns polls into at most one DeviceSeen per device per sampling interval. Lossy by design: a restart or a second
 * replica may send one extra heartbeat, which costs nothing; a database write per poll would. The poll only queues
 * the heartbeat: one background thread hands them to Kafka, so a slow broker (a full producer buffer blocks
 * {@code send}) can never hold up a poll; when the queue is full the heartbeat is dropped and counted.
 */
@ApplicationScoped
public class HeartbeatSampler implements Heartbeats {
    private static final Logger LOG = Logger.getLogger(HeartbeatSampler.class);
    static final int QUEUE_CAPACITY = 50_000;
    /**
     * How long the sender lets heartbeats gather before it hands them to the producer in one burst. The producer
     * closes a batch per partition {@code linger.ms} (5 ms) after its first record, and every compressed batch
     * allocates about 128 KB of LZ4 buffers: heartbeats handed over one by one as polls came in made a batch per
     * partition every 5 ms — most of the gateway's allocation under a polling fleet, hence young collections every
     * few seconds. One burst per 100 ms makes a few batches of hundreds of records instead; heartbeats are sampled
     * per 5 minutes, so 100 ms later costs nothing.
     */
    static final long BURST_MILLIS = 100;

    @Inject
    EventProducer producer;
    @Inject
    GatewayConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    DeviceViewCache views;

    /**
     * A heartbeat owed by the device with this {@link DeviceKeys device key}: the event itself (id, JSON, its
     * tenant's record) is made by the sender thread, off the poll's thread.
     */
    private record Seen(String deviceKey, long atMillis) {
    }

    /** When the last heartbeat of each device polling without a cache slot left, in epoch milliseconds. */
    private final ConcurrentHashMap<String, Long> lastSent = new ConcurrentHashMap<>();
    private long sampleMillis;
    private final BlockingQueue<Seen> outgoing = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private Counter dropped;
    private volatile boolean running;
    private Thread sender;

    @PostConstruct
    void init() {
        sampleMillis = config.heartbeatSample().toMillis();
    }

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
     * Runs on every poll, mostly on the I/O thread. For a cached device the time of its last heartbeat is kept in its
     * poll-cache slot as a primitive: one read of the slot the poll has just used, one compare-and-set when a
     * heartbeat is due, nothing allocated and no reference written into the long-lived cache (with 1M devices, a map
     * of its own cost a second fleet-sized lookup per poll, ~80 MB of heap, and an entry per newly seen device for
     * the young collections to copy and promote). Devices without a slot (the cache bypassed while its listener is
     * down) fall back to a map.
     */
    @Override
    public void seen(String deviceKey) {
        long now = System.currentTimeMillis();
        switch (views.claimHeartbeat(deviceKey, now, sampleMillis)) {
            case NOT_DUE -> {
            }
            case DUE -> dueFromSlot(deviceKey, now);
            case NO_SLOT -> seenUncached(deviceKey, now);
        }
    }

    /**
     * A device's first polls can come before it has a cache slot (its registration's NOTIFY is still on the way):
     * those were sampled in the map, and the fresh slot knows nothing of them. The map decides once more, and lets go
     * of the device — the slot keeps its time from now on. Runs once per device per sampling interval at most.
     */
    private void dueFromSlot(String deviceKey, long now) {
        Long last = lastSent.remove(deviceKey);
        if (last == null || now - last >= sampleMillis) {
            queue(deviceKey, now);
        }
    }

    private void seenUncached(String deviceKey, long now) {
        Long last = lastSent.get(deviceKey);
        if (last != null && now - last < sampleMillis) {
            return;
        }
        Long stamp = now;
        boolean due = last == null ? lastSent.putIfAbsent(deviceKey, stamp) == null
                : lastSent.replace(deviceKey, last, stamp);
        if (due) {
            queue(deviceKey, now);
        }
    }

    private void queue(String deviceKey, long now) {
        if (!outgoing.offer(new Seen(deviceKey, now)) && dropped != null) {
            dropped.increment();
        }
    }

    private void drain() {
        DeviceSeenRecords seenRecords = new DeviceSeenRecords(producer.source());
        List<Seen> batch = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        while (running) {
            try {
                Seen first = outgoing.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                Thread.sleep(BURST_MILLIS); // let a burst gather (see BURST_MILLIS)
                batch.add(first);
                outgoing.drainTo(batch);
                // every record made first, then all handed over in one tight loop: the burst then opens one batch
                // per partition instead of one per partition and linger.ms while the JSON is being written
                for (Seen seen : batch) {
                    records.add(seenRecords.record(seen.deviceKey(), seen.atMillis()));
                }
                for (ProducerRecord<String, String> record : records) {
                    producer.send(record);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debugf("heartbeat not sent: %s", e.getMessage());
            } finally {
                batch.clear();
                records.clear();
            }
        }
    }
}
