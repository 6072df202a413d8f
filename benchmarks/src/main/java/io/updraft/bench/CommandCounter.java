package io.updraft.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the {@code InstallRequested} records of each rollout arriving on {@code device-commands}, read from the end
 * offsets taken when it was created (so only what comes after counts), and the moment the last of them arrived here.
 */
final class CommandCounter implements AutoCloseable {
    private static final String TYPE = "\"type\":\"InstallRequested\"";
    private static final String ROLLOUT = "\"rolloutId\":\"";

    /** Per rollout: commands seen, and when the latest arrived (System.nanoTime). */
    static final class Tally {
        final AtomicLong commands = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile long lastNanos;
        /** When the first command of the rollout arrived (System.nanoTime), 0 before. */
        volatile long firstNanos;
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    CommandCounter(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20"); // arrival time within ~20 ms of being on the topic
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before anything is sent
        reader = new Thread(this::read, "command-counter");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    count(record.value());
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                failure = e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void count(byte[] value) {
        if (value == null) {
            return;
        }
        String json = new String(value, StandardCharsets.UTF_8);
        if (!json.contains(TYPE)) {
            return;
        }
        int at = json.indexOf(ROLLOUT);
        if (at < 0) {
            return;
        }
        int start = at + ROLLOUT.length();
        String rolloutId = json.substring(start, json.indexOf('"', start));
        Tally tally = tallies.computeIfAbsent(rolloutId, id -> new Tally());
        if (tally.commands.incrementAndGet() == 1) {
            tally.firstNanos = System.nanoTime();
        }
        tally.bytes.addAndGet(value.length);
        tally.lastNanos = System.nanoTime();
    }

    Tally tally(String rolloutId) {
        if (failure != null) {
            throw new IllegalStateException("device-commands consumer failed: " + failure, failure);
        }
        return tallies.computeIfAbsent(rolloutId, id -> new Tally());
    }

    /** Waits until {@code expected} commands of the rollout arrived or the timeout passed; returns the tally. */
    Tally await(String rolloutId, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Tally tally = tally(rolloutId);
        while (tally.commands.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
            tally = tally(rolloutId);
        }
        return tally;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(10_000);
    }
}
