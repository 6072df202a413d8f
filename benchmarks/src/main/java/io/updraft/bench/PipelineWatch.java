package io.updraft.bench;

import io.updraft.devstack.DevStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples, every {@code every} while the end-to-end rollout runs, where the pipeline's records wait: each consumer
 * group's lag per topic (committed offsets against end offsets, from the broker), the rows waiting in the gateway's and
 * rollout-service's outbox (and the age of the oldest), and each process's CPU ({@code /proc}). Also keeps telemetry's
 * committed offset per {@code device-reports} partition, to tell when its Streams app had consumed past a record.
 */
final class PipelineWatch implements AutoCloseable {
    /** A consumer group's lag on one topic, shown under {@code label}. */
    record Lag(String label, String group, String topic) {
    }

    /** A process whose CPU is sampled; {@code pid} is asked at every sample (a restarted service has a new one). */
    record Cpu(String label, LongSupplier pid, boolean withChildren) {
    }

    /** An outbox table, shown under {@code label}. */
    record Outbox(String label, String jdbcUrl) {
    }

    /**
     * One sample. Absent values (a query that failed, a process gone, the first CPU sample) are missing from the maps.
     *
     * @param cores CPU of each process since the previous sample, in cores (1.0 = one core busy)
     * @param machineCores the whole machine's, other work on it included
     * @param telemetryCommitted partition of device-reports → telemetry's Streams app's committed offset
     */
    record Sample(long wallMillis, Map<String, Long> lags, Map<String, Long> outboxRows,
            Map<String, Double> outboxOldestSeconds, Map<String, Double> cores, Double machineCores,
            Map<Integer, Long> telemetryCommitted) {
    }

    static final String TELEMETRY_GROUP = "telemetry-health";
    static final String SIGNALS_TOPIC = TELEMETRY_GROUP + "-cohort-signals-repartition";
    private static final long TICKS = 100; // USER_HZ of /proc/<pid>/stat

    private final Admin admin;
    private final List<Lag> lags;
    private final List<Cpu> cpus;
    private final List<Outbox> outboxes;
    private final Map<String, Connection> connections = new HashMap<>();
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();
    private final Map<String, Long> lastTicks = new HashMap<>();
    private long[] lastMachine;
    private long lastNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    PipelineWatch(String bootstrap, List<Lag> lags, List<Cpu> cpus, List<Outbox> outboxes, Duration every) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(props);
        this.lags = List.copyOf(lags);
        this.cpus = List.copyOf(cpus);
        this.outboxes = List.copyOf(outboxes);
        sampler = new Thread(() -> {
            while (running) {
                long started = System.nanoTime();
                try {
                    Sample sample = sample();
                    synchronized (this) {
                        samples.add(sample);
                    }
                } catch (RuntimeException e) {
                    System.err.println("pipeline watch: a sample failed: " + e);
                }
                try {
                    Thread.sleep(Math.max(0, every.toMillis() - (System.nanoTime() - started) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pipeline-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private Sample sample() {
        long wall = System.currentTimeMillis();
        Map<String, Long> lagByLabel = new LinkedHashMap<>();
        Map<Integer, Long> telemetryCommitted = new HashMap<>();
        try {
            Map<TopicPartition, Long> end = endOffsets();
            Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
            for (Lag lag : lags) {
                Map<TopicPartition, Long> ofGroup = committed.computeIfAbsent(lag.group(), this::committed);
                if (partitions.containsKey(lag.topic())) {
                    lagByLabel.put(lag.label(), ConsumerLag.of(lag.topic(), end, ofGroup));
                }
            }
            committed.getOrDefault(TELEMETRY_GROUP, Map.of()).forEach((tp, offset) -> {
                if (tp.topic().equals(io.updraft.events.Topics.DEVICE_REPORTS)) {
                    telemetryCommitted.put(tp.partition(), offset);
                }
            });
        } catch (Exception e) {
            System.err.println("pipeline watch: offsets not read: " + e);
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Double> oldest = new LinkedHashMap<>();
        for (Outbox outbox : outboxes) {
            try {
                Connection db = connections.computeIfAbsent(outbox.label(), l -> connect(outbox.jdbcUrl()));
                try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(
                        "select count(*), extract(epoch from now() - (select created_at from outbox order by id "
                                + "limit 1)) from outbox")) {
                    result.next();
                    rows.put(outbox.label(), result.getLong(1));
                    double age = result.getDouble(2);
                    if (!result.wasNull()) {
                        oldest.put(outbox.label(), age);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connections.remove(outbox.label());
            }
        }
        long now = System.nanoTime();
        double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        for (Cpu cpu : cpus) {
            Long ticks = ticks(cpu);
            Long before = ticks == null ? lastTicks.remove(cpu.label()) : lastTicks.put(cpu.label(), ticks);
            if (ticks != null && before != null && seconds > 0) {
                cores.put(cpu.label(), Math.max(0, ticks - before) / (double) TICKS / seconds);
            }
        }
        Double machine = null;
        try {
            long[] ticks = ProcessMetrics.machineTicks(Files.readString(Path.of("/proc/stat")));
            if (lastMachine != null && ticks[1] > lastMachine[1]) {
                // the share of all cores that was busy, times the cores
                machine = (ticks[0] - lastMachine[0]) / (double) (ticks[1] - lastMachine[1])
                        * Runtime.getRuntime().availableProcessors();
            }
            lastMachine = ticks;
        } catch (IOException | RuntimeException notLinux) {
            // no machine figure
        }
        lastNanos = now;
        return new Sample(wall, lagByLabel, rows, oldest, cores, machine, telemetryCommitted);
    }

    /** The process's CPU ticks so far, with those of its children (live ones, and the exited ones it waited for). */
    private static Long ticks(Cpu cpu) {
        long pid = cpu.pid().getAsLong();
        if (pid <= 0) {
            return null;
        }
        try {
            ProcessMetrics.CpuTicks own = ProcessMetrics.statCpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            long total = own.own();
            if (cpu.withChildren()) {
                total += own.children();
                for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
                    try {
                        total += ProcessMetrics.statCpuTicks(Files.readString(Path.of("/proc/" + child.pid()
                                + "/stat"))).own();
                    } catch (IOException | RuntimeException exited) {
                        // gone between the listing and the read: its ticks move to the parent's children's
                    }
                }
            }
            return total;
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** The PostgreSQL server's pid from {@code postmaster.pid} in its data directory, or -1. */
    static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException none) {
            return -1;
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        for (Lag lag : lags) {
            if (!partitions.containsKey(lag.topic())) {
                try {
                    TopicDescription topic = admin.describeTopics(List.of(lag.topic())).allTopicNames().get()
                            .get(lag.topic());
                    partitions.put(lag.topic(), topic.partitions().stream()
                            .map(p -> new TopicPartition(lag.topic(), p.partition())).toList());
                } catch (java.util.concurrent.ExecutionException notYet) {
                    // an internal topic not created yet: its lag stays missing until it is
                }
            }
        }
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        partitions.values().forEach(list -> list.forEach(tp -> wanted.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(wanted).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private Map<TopicPartition, Long> committed(String group) {
        try {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            all.forEach((tp, offset) -> {
                if (offset != null) {
                    offsets.put(tp, offset.offset());
                }
            });
            return offsets;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static Connection connect(String jdbcUrl) {
        try {
            return DriverManager.getConnection(jdbcUrl, DevStack.DB_USER, DevStack.DB_PASSWORD);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
        for (Connection connection : connections.values()) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the stack goes away after this
            }
        }
    }
}
