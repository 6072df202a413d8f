package io.updraft.bench.telemetry;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.UpdraftEvent;
import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.messaging.streams.CohortSignal;
import io.updraft.telemetry.messaging.streams.DeviceEvents;
import io.updraft.telemetry.messaging.streams.HealthTopology;
import io.updraft.telemetry.messaging.streams.TopologySettings;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * telemetry-service's health topology, measured class by class: run by the suite ({@code ./updraft bench --only
 * topology}, {@code TopologyBenchmarkRun}) in a JVM of its own on telemetry-service's packaged class path, against the
 * suite's broker ({@code -Dbench.kafka=<bootstrap>}, {@code -Dbench.broker-pid=<pid>} for the broker's CPU time).
 * Until 2026-12-05 it was telemetry-service's {@code src/test/java/io/updraft/telemetry/streams/TopologyBenchmark.java},
 * run by Maven's Surefire with a dev stack of its own; the figures are the same.
 * (sizes: {@code -Dbench.events=1000000 -Dbench.warmup=300000 -Dbench.devices=2000 -Dbench.trials=50
 * -Dbench.threads=1 -Dbench.rounds=3}, given to the suite as {@code -Dbench.topology.events=…}; a Streams setting to
 * try: {@code -Dbench.topology.streams.commit.interval.ms=200}).
 * The warm-up is long because a shorter one left both JVMs compiling in the measured window (session 5: the
 * benchmark JVM's C2 compiler threads used 2.7 s and the broker's 1.0 s of CPU during a 4 s topology measurement
 * after a 60,000-event warm-up); with several rounds the median round is printed again last.
 * After a warm-up of both sides on topics of their own, on the same records of the same 6-partition topic, it prints:
 * <ol>
 * <li>HealthReported/s through the health topology (exactly-once, the service's own Kafka Streams settings, every
 * report attributed to a cohort, added up and judged) against a plain KafkaConsumer that reads and parses the same
 * topic with the topology's own reader ({@link DeviceEvents}), both timed from their first record, their ratio, the
 * CPU time per event of each (less bent by the shared machine than a rate), and where the stream thread's time
 * went (Kafka Streams' own process/poll/commit/punctuate ratios); and the same topology under at-least-once
 * processing ({@code -Dbench.guarantees=}, measured first in each round), its rate beside the exactly-once one;</li>
 * <li>the floors: the same records through a Streams application with the same settings whose topology only parses
 * (exactly-once v2 and at-least-once, {@code -Dbench.floors=}), and through the service's own topology (its two device
 * sources, its stores, the repartition and the referee, exactly-once, no punctuator) whose device processor only parses
 * ({@code service-shape}); their rates as a share of the plain consumer's and the topology's as a share of them: what
 * Kafka Streams itself allows here, and what the topology's shape costs before it does any work; and what the
 * topology wrote to its internal topics per 1,000 reports (records and commit markers, partitions,
 * transactions);</li>
 * <li>detection latency, under each guarantee measured (the exactly-once one printed last, what the suite reads): from
 * sending the ActionFinished that crosses the failure-rate threshold to a read_committed consumer receiving the
 * RollbackTriggered.</li>
 * </ol>
 */
public final class TopologyBenchmark {
    /** The suite's broker: this JVM starts none. */
    private static final String BOOTSTRAP = required("bench.kafka");
    /** The broker's process (the dev stack's JVM, its PostgreSQL below it): CPU time per event of the broker. */
    private static final long BROKER_PID = Long.parseLong(required("bench.broker-pid"));
    /**
     * The policy the topology applies when a rollout names none (as telemetry-service's HealthTopologyTest): failed
     * installs 0.5 over 3; boot failures 0.2 over 3; unhealthy or crash-looping (3 crashes within 10 minutes) devices
     * 0.3 over 3; silent (2 minutes after install) devices 0.3 over 3; crashes 2x a baseline of at least 0.1 over 5
     * reports each.
     */
    private static final CohortPolicy DEFAULTS = new CohortPolicy(limits(0.5, 3), limits(0.2, 3), limits(0.3, 3), 3,
            Duration.ofMinutes(10), limits(0.3, 3), Duration.ofMinutes(2), new CohortPolicy.Regression(2.0, 0.1, 5,
                    Duration.ofMinutes(5)), 0, 0, 0);
    private static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    private static final int WARMUP_EVENTS = Integer.getInteger("bench.warmup", 300_000);
    private static final int DEVICES = Integer.getInteger("bench.devices", 2_000);
    private static final int TRIALS = Integer.getInteger("bench.trials", 50);
    /** Stream threads of every Streams side: the service's {@code num.stream.threads} unless -Dbench.threads= says. */
    private static final int THREADS = Integer.getInteger("bench.threads", serviceStreamThreads());
    /** Measured rounds on the same records (each side under a new group per round): figures within one run. */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /**
     * The floors measured beside the topology (-Dbench.floors= to skip them): parse-only applications under each
     * processing guarantee named, and {@value #SHAPE}: the service's own topology with a device processor that only
     * parses.
     */
    private static final List<String> FLOOR_GUARANTEES = java.util.Arrays.stream(
            System.getProperty("bench.floors", "exactly_once_v2,at_least_once," + TopologyBenchmark.SHAPE).split(","))
            .filter(g -> !g.isBlank()).toList();

    /**
     * The health topology is measured under each processing guarantee named (-Dbench.guarantees=): exactly-once v2
     * (state, output and offsets in one transaction) and at-least-once (the same topology; the signals' positions and
     * the decisions' ids keep the effect exactly once: telemetry-service's README). {@code <guarantee>@<ms>} sets that
     * run's commit interval ({@code at_least_once@1000}); without it the service's own for that guarantee applies. Each
     * variant other than plain {@code exactly_once_v2} is measured before the exactly-once run, and in the last round
     * its detection latency too; the suite reads the at-least-once variant printed last.
     */
    private static final List<String> GUARANTEES = java.util.Arrays.stream(
            System.getProperty("bench.guarantees", "exactly_once_v2,at_least_once").split(","))
            .filter(g -> !g.isBlank()).toList();

    /** The floor that is the service's topology, with a device processor that parses each record and drops it. */
    static final String SHAPE = "service-shape";

    private final String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong actionIds = new AtomicLong();

    public static void main(String[] args) {
        try {
            new TopologyBenchmark().run();
            System.out.println("benchmark finished");
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("-D" + key + " missing: run by the suite, ./updraft bench --only topology");
        }
        return value;
    }

    private static CohortPolicy.Limits limits(double rate, int minSample) {
        return new CohortPolicy.Limits(rate, null, minSample, Duration.ZERO);
    }

    /** The service's topology with another processor in the device tracker's place ({@code HealthTopology}'s seam). */
    private static org.apache.kafka.streams.Topology shapeOnly(TopologySettings settings) {
        ProcessorSupplier<byte[], byte[], String, CohortSignal> parseOnly = ParseOnlyTracker::new;
        return HealthTopology.build(settings, created -> settings.defaults(), parseOnly);
    }

    /** The name of the topology's repartition of cohort signals. */
    private static String signals() {
        return HealthTopology.SIGNALS;
    }

    void run() throws Exception {
        String bootstrap = BOOTSTRAP;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // warm-up: the same work on topics of its own, so both measurements below run on compiled code
            TopologySettings warmup = settings(run + "-warmup.");
            int warmupRecords = produce(admin, warmup, WARMUP_EVENTS);
            plainConsumerRate(bootstrap, warmup, warmupRecords, applicationId(warmup) + "-plain");
            try (KafkaStreams streams = new KafkaStreams(HealthTopology.build(warmup, created -> warmup.defaults()),
                    streamsProps(bootstrap, warmup, applicationId(warmup)))) {
                topologyRate(admin, streams, applicationId(warmup), topicsOf(warmup, applicationId(warmup)),
                        warmupRecords, null);
            }
            for (String guarantee : FLOOR_GUARANTEES) {
                floor(admin, bootstrap, warmup, guarantee, warmupRecords, "");
            }

            TopologySettings measured = settings(run + ".");
            int records = produce(admin, measured, EVENTS);
            System.out.printf(Locale.ROOT, "%nbenchmark: %d HealthReported for %d devices (after a warm-up of %d) on %d"
                    + " cores (machine shared), %d stream thread(s), %d round(s)%n", records, DEVICES, warmupRecords,
                    Runtime.getRuntime().availableProcessors(), THREADS, ROUNDS);
            List<RoundFigures> rounds = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                // each round reads the same records again, every side under a consumer group of its own
                String suffix = ROUNDS == 1 ? "" : "-r" + round;
                if (ROUNDS > 1) {
                    System.out.printf(Locale.ROOT, "round %d:%n", round);
                }
                rounds.add(measureRound(admin, bootstrap, measured, records, suffix, round == ROUNDS));
            }
            if (ROUNDS > 1) {
                printMedianRound(rounds, records);
            }
        }
    }

    /** One round's figures: rates (events/s) and CPU per event (µs) of each side. */
    record RoundFigures(Measured plain, Map<String, Measured> floors, double topology, double topologyCpuMicros,
            Map<String, Double> byGuarantee) {
    }

    /** The health topology's line label under a guarantee variant (what the suite's parser reads). */
    static String label(String variant) {
        String interval = variant.contains("@") ? " commit " + commitOf(variant) + " ms:" : "";
        return switch (guarantee(variant)) {
            case "exactly_once_v2" -> interval.isEmpty() ? "health topology (exactly-once):     "
                    : "health topology (exactly-once)" + interval;
            case "at_least_once" -> interval.isEmpty() ? "health topology (at-least-once):    "
                    : "health topology (at-least-once)" + interval;
            default -> "health topology (" + variant + "):";
        };
    }

    /** {@code at_least_once@1000} → {@code at_least_once}. */
    static String guarantee(String variant) {
        int at = variant.indexOf('@');
        return at < 0 ? variant : variant.substring(0, at);
    }

    /** {@code at_least_once@1000} → {@code 1000}; null without {@code @}. */
    static String commitOf(String variant) {
        int at = variant.indexOf('@');
        return at < 0 ? null : variant.substring(at + 1);
    }

    /**
     * Sets {@code variant}'s processing guarantee and commit interval: its own ({@code @ms}), else
     * {@code -Dbench.streams.commit.interval.ms}, else the service's for that guarantee
     * ({@code updraft.telemetry.commit-interval-ms.<guarantee>}), else the service's {@code kafka-streams} one.
     */
    private static void guaranteed(Properties props, String variant) throws Exception {
        String guarantee = guarantee(variant);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        String service = serviceProperties().getProperty("updraft.telemetry.commit-interval-ms." + guarantee);
        String interval = commitOf(variant) != null ? commitOf(variant)
                : System.getProperty("bench.streams." + StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, service);
        if (interval != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, interval);
        }
    }

    /**
     * The round whose topology / plain ratio under the service's own guarantee (at-least-once since ADR 0028; the
     * exactly-once run if that one was not measured) is the median of the rounds', printed again last in the rounds'
     * own line formats (what the suite reads), with every round's ratio. One round on a shared 2-core machine can be
     * bent either way by what else runs; the figures of the median round stay one measured set (rate, floors and CPU of
     * the same minute), which medians taken figure by figure would not.
     */
    private static void printMedianRound(List<RoundFigures> rounds, int records) {
        List<Integer> byRatio = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            byRatio.add(i);
        }
        String ranking = serviceGuarantee();
        byRatio.sort(java.util.Comparator.comparingDouble(i -> rounds.get(i).byGuarantee()
                .getOrDefault(ranking, rounds.get(i).topology()) / rounds.get(i).plain().rate()));
        int median = byRatio.get((rounds.size() - 1) / 2);
        RoundFigures round = rounds.get(median);
        double plain = round.plain().rate();
        System.out.printf(Locale.ROOT, "median round (by topology / plain under %s) of %d: round %d%n", ranking,
                rounds.size(), median + 1);
        System.out.printf(Locale.ROOT, "plain KafkaConsumer (read + parse):   %,10.0f events/s   %5.1f µs CPU/event"
                + " (consuming thread)%n", plain, round.plain().streamCpu() / 1e3 / records);
        round.floors().forEach((guarantee, floor) -> System.out.printf(Locale.ROOT, "Kafka Streams %-14s parse only:"
                + " %,10.0f events/s   %5.1f µs CPU/event (stream threads); %.0f %% of plain%n", guarantee,
                floor.rate(), floor.streamCpu() / 1e3 / records, 100 * floor.rate() / plain));
        System.out.printf(Locale.ROOT, "health topology (exactly-once):      %,10.0f events/s   %5.1f µs CPU/event"
                + " (stream threads)%n", round.topology(), round.topologyCpuMicros());
        System.out.printf(Locale.ROOT, "ratio topology / plain:              %10.0f %%  (target >= 60 %%; every round:"
                + " %s)%n", 100 * round.topology() / plain, rounds.stream()
                .map(r -> String.format(Locale.ROOT, "%.0f %%", 100 * r.topology() / r.plain().rate()))
                .collect(Collectors.joining(", ")));
        round.byGuarantee().forEach((guarantee, rate) -> System.out.printf(Locale.ROOT, "%s %,10.0f events/s; %.0f %%"
                + " of plain (every round: %s)%n", label(guarantee), rate, 100 * rate / plain, rounds.stream()
                .map(r -> String.format(Locale.ROOT, "%.0f %%", 100 * r.byGuarantee().get(guarantee)
                        / r.plain().rate())).collect(Collectors.joining(", "))));
        round.floors().forEach((guarantee, floor) -> System.out.printf(Locale.ROOT,
                "ratio topology / %-14s floor: %9.0f %%  (every round: %s)%n", guarantee,
                100 * round.topology() / floor.rate(), rounds.stream().map(r -> String.format(Locale.ROOT, "%.0f %%",
                        100 * r.topology() / r.floors().get(guarantee).rate())).collect(Collectors.joining(", "))));
    }

    /** Plain consumer, the floors, the topology (and, if {@code last}, detection latency) on the same records. */
    private RoundFigures measureRound(Admin admin, String bootstrap, TopologySettings measured, int records,
            String suffix, boolean last) throws Exception {
        Measured plainRun = plainConsumerRate(bootstrap, measured, records,
                applicationId(measured) + suffix + "-plain");
        double plain = plainRun.rate();
        System.out.printf(Locale.ROOT, "plain KafkaConsumer (read + parse):   %,10.0f events/s   %5.1f µs CPU"
                + "/event (consuming thread); broker %.1f µs CPU/event   [%s]%n", plain,
                plainRun.streamCpu() / 1e3 / records, plainRun.brokerCpu() / 1e3 / records, uptime());
        // the floor: what Kafka Streams itself allows with the service's settings, a topology that only parses
        Map<String, Double> floors = new java.util.LinkedHashMap<>();
        Map<String, Measured> floorFigures = new java.util.LinkedHashMap<>();
        for (String guarantee : FLOOR_GUARANTEES) {
            Measured floor = floor(admin, bootstrap, measured, guarantee, records, suffix);
            floors.put(guarantee, floor.rate());
            floorFigures.put(guarantee, floor);
            System.out.printf(Locale.ROOT, "Kafka Streams %-14s parse only: %,10.0f events/s   %5.1f µs CPU/event"
                    + " (stream threads; %.1f all its threads); broker %.1f µs CPU/event; %.0f %% of plain   [%s]%n",
                    guarantee, floor.rate(), floor.streamCpu() / 1e3 / records, floor.allCpu() / 1e3 / records,
                    floor.brokerCpu() / 1e3 / records, 100 * floor.rate() / plain, uptime());
        }
        // the same topology under each other guarantee first (the exactly-once run below keeps the detailed figures)
        Map<String, Double> byGuarantee = new java.util.LinkedHashMap<>();
        for (String guarantee : GUARANTEES) {
            if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                byGuarantee.put(guarantee, topologyUnder(admin, bootstrap, measured, guarantee, records, suffix,
                        plain, last));
            }
        }
        String applicationId = applicationId(measured) + suffix;
        Properties eosProps = streamsProps(bootstrap, measured, applicationId);
        guaranteed(eosProps, StreamsConfig.EXACTLY_ONCE_V2);
        KafkaStreams streams = new KafkaStreams(HealthTopology.build(measured, created -> measured.defaults()),
                eosProps);
        String threadPrefix = applicationId + "-";
        long cpuBefore = cpuOf(name -> name.contains(threadPrefix));
        java.util.function.Predicate<String> streamThread = name -> name.contains(threadPrefix)
                && name.matches(".*StreamThread-\\d+");
        long streamCpuBefore = cpuOf(streamThread);
        long brokerBefore = brokerCpu();
        try {
            Rates rates = topologyRate(admin, streams, applicationId, topicsOf(measured, applicationId), records,
                    "health topology");
            double topology = rates.fromFirstRecord();
            long topologyCpu = cpuOf(name -> name.contains(threadPrefix)) - cpuBefore;
            long streamCpuEnd = cpuOf(streamThread);
            long brokerEnd = brokerCpu();
            long streamCpu = streamCpuEnd - (THREADS == 1 ? FirstRecord.THREAD_CPU.get() : streamCpuBefore);
            long broker = brokerEnd - FirstRecord.BROKER_CPU.get();
            System.out.printf(Locale.ROOT,
                    "health topology (exactly-once):      %,10.0f events/s   %5.1f µs CPU/event (stream threads;"
                            + " %.1f with producer, admin and state threads); broker %.1f µs CPU/event   [%s]%n"
                            + "  (CPU from start instead of from the first record, start-up included: stream"
                            + " threads %.1f, broker %.1f µs/event)%n"
                            + "ratio topology / plain:              %10.0f %%  (target >= 60 %%)%n",
                    topology, streamCpu / 1e3 / records, topologyCpu / 1e3 / records, broker / 1e3 / records,
                    uptime(), (streamCpuEnd - streamCpuBefore) / 1e3 / records,
                    (brokerEnd - brokerBefore) / 1e3 / records, 100 * topology / plain);
            floors.forEach((guarantee, floor) -> System.out.printf(Locale.ROOT,
                    "ratio topology / %-14s floor: %9.0f %%%n", guarantee, 100 * topology / floor));
            // the earlier harness timed the topology from RUNNING (its group join and first fetch included,
            // which the plain consumer's figure never held): printed too, so runs stay comparable
            System.out.printf(Locale.ROOT, "  (timed from RUNNING instead of its first record: %,.0f/s, %.0f %%)%n",
                    rates.fromRunning(), 100 * rates.fromRunning() / plain);
            internalTopics(admin, streams, applicationId, records);
            byGuarantee.forEach((guarantee, rate) -> System.out.printf(Locale.ROOT, "%s %,10.0f events/s; %.0f %% of"
                    + " plain (target >= 60 %%); exactly-once %.0f %% of plain, same round%n", label(guarantee), rate,
                    100 * rate / plain, 100 * topology / plain));
            if (last) {
                latency(bootstrap, measured, "exactly-once");
            }
            return new RoundFigures(plainRun, floorFigures, topology, streamCpu / 1e3 / records, byGuarantee);
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /** The health topology under {@code guarantee}, on the same records: its rate, printed with its CPU per event. */
    private double topologyUnder(Admin admin, String bootstrap, TopologySettings measured, String guarantee,
            int records, String suffix, double plain, boolean last) throws Exception {
        // not <exactly-once application id>-…: its internal topics would count as the exactly-once run's
        String applicationId = guarantee.replace('_', '-').replace("@", "-c") + "-" + applicationId(measured) + suffix;
        Properties props = streamsProps(bootstrap, measured, applicationId);
        guaranteed(props, guarantee);
        String threadPrefix = applicationId + "-";
        java.util.function.Predicate<String> streamThread = name -> name.contains(threadPrefix)
                && name.matches(".*StreamThread-\\d+");
        long streamCpuBefore = cpuOf(streamThread);
        try (KafkaStreams streams = new KafkaStreams(HealthTopology.build(measured, created -> measured.defaults()),
                props)) {
            // at-least-once: timed to the end of the work (its output is out then), not to its next commit
            List<String> sources = guarantee(guarantee).equals(StreamsConfig.AT_LEAST_ONCE)
                    ? List.of(measured.deviceReports(), measured.deviceTelemetry(), measured.rolloutEvents(),
                            applicationId + "-" + signals() + "-repartition")
                    : null;
            double rate = topologyRate(admin, streams, applicationId, topicsOf(measured, applicationId), records,
                    "health topology " + guarantee, sources).fromFirstRecord();
            long streamCpu = cpuOf(streamThread) - (THREADS == 1 ? FirstRecord.THREAD_CPU.get() : streamCpuBefore);
            long broker = brokerCpu() - FirstRecord.BROKER_CPU.get();
            System.out.printf(Locale.ROOT, "%s %,10.0f events/s   %5.1f µs CPU/event (stream threads); broker %.1f µs"
                    + " CPU/event; %.0f %% of plain   [%s]%n", label(guarantee), rate, streamCpu / 1e3 / records,
                    broker / 1e3 / records, 100 * rate / plain, uptime());
            internalTopics(admin, streams, applicationId, records);
            if (last) {
                latency(bootstrap, measured, label(guarantee).replace("health topology ", "").replace(":", "").trim());
            }
            return rate;
        }
    }

    /**
     * What the topology wrote besides its output, per 1,000 reports: the end offsets of its internal topics (records
     * and, as it commits in transactions, one commit marker per partition and transaction that wrote to it), and how
     * many transactions it committed. A transaction's cost on the broker grows with the partitions it wrote to.
     */
    private static void internalTopics(Admin admin, KafkaStreams streams, String applicationId, int records)
            throws Exception {
        List<String> internal = admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-")).sorted().toList();
        Map<TopicPartition, OffsetSpec> ends = admin.describeTopics(internal).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<String, Long> perTopic = new java.util.TreeMap<>();
        Map<String, Long> partitionsWritten = new java.util.TreeMap<>();
        admin.listOffsets(ends).all().get().forEach((tp, end) -> {
            String name = tp.topic().substring(applicationId.length() + 1);
            perTopic.merge(name, end.offset(), Long::sum);
            partitionsWritten.merge(name, end.offset() > 0 ? 1L : 0L, Long::sum);
        });
        System.out.println("  internal topics, records + commit markers per 1,000 reports (partitions written): "
                + perTopic.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f (%d)", e.getKey(),
                        1000.0 * e.getValue() / records, partitionsWritten.get(e.getKey())))
                        .collect(Collectors.joining(", "))
                + threadFigure(streams, "commit-total", " transactions"));
    }

    /** Rate, and CPU time (ns) of the stream threads, of all the application's threads and of the broker. */
    record Measured(double rate, long streamCpu, long allCpu, long brokerCpu) {
    }

    /**
     * The floor: the same records through a Kafka Streams application with the service's own settings (those of
     * {@code application.properties}, the same threads and {@code -Dbench.streams.*}), but {@code guarantee} as
     * processing guarantee, whose topology only reads each record and parses it with the same reader as the plain
     * consumer and the tracker (source → a processor that parses and drops: no store, no repartition, no output).
     * Timed like the topology, from the first record its consumer received until its committed offsets reach the end.
     */
    private Measured floor(Admin admin, String bootstrap, TopologySettings settings, String guarantee, int records,
            String suffix) throws Exception {
        String applicationId = settings.deviceReports().replace("device-reports", "floor-" + guarantee) + suffix;
        Properties props = streamsProps(bootstrap, settings, applicationId);
        org.apache.kafka.streams.Topology topology;
        if (guarantee.equals(SHAPE)) {
            // the service's topology and settings (its guarantee), the tracker's place taken by a parser
            topology = shapeOnly(settings);
        } else {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(settings.deviceTelemetry(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    .process(ParseOnly::new);
            topology = builder.build();
            guaranteed(props, guarantee);
        }
        String threadPrefix = applicationId + "-";
        java.util.function.Predicate<String> all = name -> name.contains(threadPrefix);
        java.util.function.Predicate<String> streamThread = name -> all.test(name)
                && name.matches(".*StreamThread-\\d+");
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            long allBefore = cpuOf(all);
            long streamBefore = cpuOf(streamThread);
            long brokerBefore = brokerCpu();
            double rate = topologyRate(admin, streams, applicationId, List.of(settings.deviceTelemetry()), records,
                    settings.deviceTelemetry().contains("-warmup.") ? null : "floor " + guarantee).fromFirstRecord();
            // CPU from its first record, as the topology's and the plain consumer's (THREADS == 1)
            return new Measured(rate, cpuOf(streamThread) - (THREADS == 1 ? FirstRecord.THREAD_CPU.get()
                    : streamBefore), cpuOf(all) - allBefore, brokerCpu() - FirstRecord.BROKER_CPU.get());
        }
    }

    /** The floor's only processor: parses each record with the tracker's reader, and drops it. */
    static final class ParseOnly implements Processor<String, byte[], Void, Void> {
        @Override
        public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> record) {
            DeviceEvents.telemetry(record.value());
        }
    }

    /**
     * In the tracker's place for the {@value #SHAPE} floor: parses each record of both device topics with the
     * tracker's readers and drops it (no state read or written, nothing forwarded).
     */
    static final class ParseOnlyTracker implements Processor<byte[], byte[], String, CohortSignal> {
        private org.apache.kafka.streams.processor.api.ProcessorContext<String, CohortSignal> context;

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, CohortSignal> context) {
            this.context = context;
        }

        @Override
        public void process(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record) {
            boolean telemetry = context.recordMetadata()
                    .map(metadata -> metadata.topic().endsWith("device-telemetry")).orElse(true);
            if (telemetry) {
                DeviceEvents.telemetry(record.value());
            } else {
                DeviceEvents.report(record.value());
            }
        }
    }

    /** The machine's load when a figure was taken (2 cores, shared): printed with every figure. */
    private static String uptime() {
        try {
            return "load " + Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "load unknown";
        }
    }

    /** CPU time (ns) of the dev-stack broker's process and its children (its PostgreSQL, idle here). */
    private static long brokerCpu() {
        return ProcessHandle.of(BROKER_PID).stream().flatMap(broker -> java.util.stream.Stream.concat(
                java.util.stream.Stream.of(broker), broker.descendants()))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    /** CPU time (ns) of the live threads so named: a figure the shared machine bends less than a rate. */
    private static long cpuOf(java.util.function.Predicate<String> named) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && named.test(info.getThreadName())) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static TopologySettings settings(String prefix) {
        return new TopologySettings("device-reports", "device-telemetry", "rollout-events", "rollbacks",
                DEFAULTS, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofHours(1))
                .withTopicPrefix(prefix);
    }

    private static String applicationId(TopologySettings settings) {
        return settings.deviceReports().replace("device-reports", "health");
    }

    /**
     * Every device reports health on its previous release first (so every cohort has a baseline and the
     * crash-regression rule is measured over its window), installs the rollout's release, then reports {@code events}
     * times in turn. @return the HealthReported records on the telemetry topic
     */
    private int produce(Admin admin, TopologySettings settings, int events) throws Exception {
        admin.createTopics(List.of(new NewTopic(settings.deviceReports(), 6, (short) 1),
                new NewTopic(settings.deviceTelemetry(), 6, (short) 1),
                new NewTopic(settings.rolloutEvents(), 3, (short) 1),
                new NewTopic(settings.rollbacks(), 3, (short) 1))).all().get();
        String rolloutId = "bench-rollout";
        AtomicLong failed = new AtomicLong();
        org.apache.kafka.clients.producer.Callback counted = (metadata, e) -> {
            if (e != null) {
                failed.incrementAndGet();
            }
        };
        try (KafkaProducer<String, String> producer = producer()) {
            for (int d = 0; d < DEVICES; d++) {
                HealthReported before = new HealthReported(EventMeta.newId(), EventMeta.now(),
                        UpdraftEvent.SCHEMA_VERSION, "dev-" + d, true, 0, true, Map.of());
                producer.send(new ProducerRecord<>(settings.deviceTelemetry(), before.deviceId(),
                        EventJson.write(before)), counted);
                ActionFinished installed = finished("dev-" + d, rolloutId, "bench:" + (d % 4), Outcome.SUCCESS);
                producer.send(new ProducerRecord<>(settings.deviceReports(), installed.deviceId(),
                        EventJson.write(installed)), counted);
            }
            for (int i = 0; i < events; i++) {
                String device = "dev-" + (i % DEVICES);
                HealthReported health = new HealthReported(EventMeta.newId(), EventMeta.now(),
                        UpdraftEvent.SCHEMA_VERSION, device, true, i % 50 == 0 ? 1 : 0, true, Map.of("cpu", 0.3));
                producer.send(new ProducerRecord<>(settings.deviceTelemetry(), device, EventJson.write(health)),
                        counted);
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be produced (broker overloaded?)");
        }
        // what is really on the topic (a retried batch may be there twice): both sides are measured on exactly this
        Map<TopicPartition, OffsetSpec> ends = admin.describeTopics(List.of(settings.deviceTelemetry())).allTopicNames()
                .get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return (int) admin.listOffsets(ends).all().get().values().stream().mapToLong(e -> e.offset()).sum();
    }

    /** Reads and parses the telemetry topic as the topology must, from the first record to the last. */
    private Measured plainConsumerRate(String bootstrap, TopologySettings settings, int records, String group) {
        Properties props = consumerProps(bootstrap);
        // values as bytes, parsed with the topology's own reader (DeviceEvents): the same work per record
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(settings.deviceTelemetry()));
            long read = 0;
            long start = 0;
            long cpu = 0;
            long broker = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (read < records) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("plain consumer read only " + read + " of " + records);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (start == 0) {
                        start = System.nanoTime();
                        cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                        broker = brokerCpu();
                    }
                    DeviceEvents.telemetry(record.value());
                    read++;
                }
                consumer.commitAsync();
            }
            double rate = read / ((System.nanoTime() - start) / 1e9);
            long threadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
            return new Measured(rate, threadCpu, threadCpu, brokerCpu() - broker);
        }
    }

    /** Events per second timed from the first record its consumer received, and from RUNNING. */
    record Rates(double fromFirstRecord, double fromRunning) {
    }

    /** Notes when the Streams application's consumer first returns records: where its timing starts, as the plain's. */
    public static final class FirstRecord implements ConsumerInterceptor<byte[], byte[]> {
        static final AtomicLong AT = new AtomicLong();
        /** CPU time (ns) of the stream thread and of the broker then: CPU per event without the start-up. */
        static final AtomicLong THREAD_CPU = new AtomicLong();
        static final AtomicLong BROKER_CPU = new AtomicLong();

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            if (!records.isEmpty() && AT.compareAndSet(0, System.nanoTime())) {
                THREAD_CPU.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                BROKER_CPU.set(brokerCpu());
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /**
     * From the first record its consumer received (as the plain consumer is timed; also from RUNNING) until the
     * application's committed offsets reach the end of the telemetry topic and of its repartition topic (every report
     * attributed, aggregated and judged, and committed).
     */
    private Rates topologyRate(Admin admin, KafkaStreams streams, String applicationId, List<String> topics,
            int records, String label) throws Exception {
        return topologyRate(admin, streams, applicationId, topics, records, label, null);
    }

    /**
     * @param sources null: done when the committed offsets reach the ends (exactly-once: what is processed is
     *     visible only then); else done when the stream threads processed as many records as these topics hold (all the
     *     topology's sources, no transaction markers: at-least-once), whenever it commits — timed to the end of the
     *     work, not to the next commit, which a long commit interval would put seconds later (or at the commit, if
     *     that comes first: a record Kafka Streams skips is never counted as processed)
     */
    private Rates topologyRate(Admin admin, KafkaStreams streams, String applicationId, List<String> topics,
            int records, String label, List<String> sources) throws Exception {
        FirstRecord.AT.set(0);
        AtomicLong runningSince = new AtomicLong();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && runningSince.get() == 0) {
                runningSince.set(System.nanoTime());
            }
        });
        streams.start();
        Map<String, Double> threadTime = new java.util.TreeMap<>();
        int samples = 0;
        while (true) {
            if (runningSince.get() != 0 && FirstRecord.AT.get() != 0 && (sources != null
                    && processedAll(admin, streams, sources) || caughtUp(admin, applicationId, topics, records))) {
                long end = System.nanoTime();
                Rates rates = new Rates(records / ((end - FirstRecord.AT.get()) / 1e9),
                        records / ((end - runningSince.get()) / 1e9));
                final int n = Math.max(1, samples);
                if (label != null) {
                    System.out.println("  " + label + " stream thread, share of its time while measured: "
                            + threadTime.entrySet()
                            .stream().map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / n))
                            .collect(Collectors.joining(", ")) + threadFigure(streams, "commit-latency-avg", " ms"));
                }
                return rates;
            }
            if (runningSince.get() != 0) {
                samples++;
                streams.metrics().forEach((name, metric) -> {
                    if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-ratio")
                            && metric.metricValue() instanceof Double value && !value.isNaN()) {
                        threadTime.merge(name.name().replace("-ratio", ""), value, Double::sum);
                    }
                });
            }
            Thread.sleep(20); // benchmark, not a test: polling the committed offsets
        }
    }

    private static String threadFigure(KafkaStreams streams, String metricName, String unit) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-thread-metrics")
                        && e.getKey().name().equals(metricName))
                .map(e -> String.format(Locale.ROOT, "; %s %.1f%s", metricName, (Double) e.getValue().metricValue(),
                        unit))
                .findFirst().orElse("");
    }

    /**
     * @param variant names the run in the printed line and in the trials' rollout ids: the applications of the
     *     other variants read the same reports, and a cohort one of them saw decided earlier would decide nothing
     */
    private void latency(String bootstrap, TopologySettings settings, String variant) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            Properties props = consumerProps(bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                List<TopicPartition> partitions = consumer.partitionsFor(settings.rollbacks()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (!done.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        RollbackTriggered t = (RollbackTriggered) EventJson.read(record.value(), RollbackEvent.class);
                        Long sent = sentAt.get(t.rolloutId() + "|" + t.cohort());
                        if (sent != null) {
                            latencies.add((now - sent) / 1_000_000);
                        }
                    }
                }
            }
        });
        reader.start();
        Thread.sleep(2000); // the reader is at the end of the topic
        try (KafkaProducer<String, String> producer = producer()) {
            for (int trial = 0; trial < TRIALS; trial++) {
                String rolloutId = "latency-" + variant.replaceAll("[^A-Za-z0-9]+", "-") + "-" + trial;
                String cohort = "lat:" + trial;
                for (int i = 0; i < 2; i++) {
                    ActionFinished failed = finished("lat-" + trial + "-" + i, rolloutId, cohort, Outcome.FAILURE);
                    producer.send(new ProducerRecord<>(settings.deviceReports(), failed.deviceId(),
                            EventJson.write(failed))).get();
                }
                Thread.sleep(300); // the two below-threshold failures are in; the third one crosses the line
                ActionFinished crossing = finished("lat-" + trial + "-x", rolloutId, cohort, Outcome.FAILURE);
                sentAt.put(rolloutId + "|" + cohort, System.nanoTime());
                producer.send(new ProducerRecord<>(settings.deviceReports(), crossing.deviceId(),
                        EventJson.write(crossing)));
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (latencies.size() <= trial && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        }
        done.set(true);
        reader.join();
        List<Long> sorted = latencies.stream().sorted().collect(Collectors.toList());
        if (sorted.isEmpty()) {
            System.out.println("detection latency " + variant + ": no trigger received");
            return;
        }
        System.out.printf(Locale.ROOT, "detection latency %s over %d/%d trials: p50 %d ms, p99 %d ms, max %d ms"
                + "   [%s]%n", variant, sorted.size(), TRIALS, percentile(sorted, 50), percentile(sorted, 99),
                sorted.get(sorted.size() - 1),
                uptime());
    }

    /** The telemetry topic and the health topology's repartition topic: both consumed to their ends when done. */
    private static List<String> topicsOf(TopologySettings settings, String applicationId) throws Exception {
        return List.of(settings.deviceTelemetry(), applicationId + "-" + signals() + "-repartition");
    }

    /** The stream threads processed as many records as {@code sources} hold (none of them transactional). */
    private static boolean processedAll(Admin admin, KafkaStreams streams, List<String> sources) throws Exception {
        double processed = streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-thread-metrics")
                        && e.getKey().name().equals("process-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(sources).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        long held = admin.listOffsets(latest).all().get().values().stream().mapToLong(e -> e.offset()).sum();
        return processed >= held;
    }

    /** @param topics the telemetry topic (holding {@code records}) first */
    private static boolean caughtUp(Admin admin, String applicationId, List<String> topics, int records)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        // one request per poll until the telemetry topic is done: the harness's own load on the broker stays small
        long telemetryDone = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.get(0)))
                .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
        if (telemetryDone < records) {
            return false;
        }
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        // until the referee has aggregated everything, not just the tracker read it; the repartition topic is
        // transactional, its end may be one commit marker past the last record
        return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> {
            long slack = e.getKey().topic().endsWith("-repartition") ? 1 : 0;
            OffsetAndMetadata done = committed.get(e.getKey());
            return e.getValue().offset() == 0 || done != null && done.offset() >= e.getValue().offset() - slack;
        });
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private ActionFinished finished(String device, String rolloutId, String cohort, Outcome outcome) {
        return new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, device,
                actionIds.incrementAndGet(), rolloutId, 1, cohort, "release-2", "1.2.0", false, outcome, List.of());
    }

    /** The service's own Kafka Streams settings (application.properties), on this run's topics and threads. */
    private static Properties streamsProps(String bootstrap, TopologySettings settings, String applicationId)
            throws Exception {
        Properties service = serviceProperties();
        Properties props = new Properties();
        service.stringPropertyNames().stream()
                .filter(key -> key.startsWith("kafka-streams.") && !service.getProperty(key).contains("${"))
                .forEach(key -> props.put(key.substring("kafka-streams.".length()), service.getProperty(key)));
        // processing.guarantee is ${updraft.telemetry.processing-guarantee} there: the service's default
        guaranteed(props, service.getProperty("updraft.telemetry.processing-guarantee", StreamsConfig.EXACTLY_ONCE_V2));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS);
        // -Dbench.streams.commit.interval.ms=200 and the like: try a setting without editing the service's
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("bench.streams."))
                .forEach(key -> props.put(key.substring("bench.streams.".length()), System.getProperty(key)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-streams").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG),
                List.of(FirstRecord.class));
        return props;
    }

    /** The service's {@code processing.guarantee} (its default). */
    private static String serviceGuarantee() {
        try {
            return serviceProperties().getProperty("updraft.telemetry.processing-guarantee", StreamsConfig.EXACTLY_ONCE_V2)
                    .strip();
        } catch (Exception e) {
            throw new IllegalStateException("telemetry-service's application.properties: " + e.getMessage(), e);
        }
    }

    private static int serviceStreamThreads() {
        try {
            String key = "kafka-streams." + StreamsConfig.NUM_STREAM_THREADS_CONFIG;
            return Integer.parseInt(serviceProperties().getProperty(key, "1").strip());
        } catch (Exception e) {
            throw new IllegalStateException("telemetry-service's application.properties: " + e.getMessage(), e);
        }
    }

    /** The packaged service's own application.properties (its jar, not any other on the class path). */
    private static Properties serviceProperties() throws Exception {
        Properties service = new Properties();
        java.net.URL jar = HealthTopology.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream in = java.net.URI.create("jar:" + jar + "!/application.properties").toURL().openStream()) {
            service.load(in);
        }
        return service;
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000); // a busy shared machine: wait, do not drop
        // into topics created a moment ago: an idempotent producer can loop on OUT_OF_ORDER_SEQUENCE_NUMBER after the
        // first NOT_LEADER_OR_FOLLOWER; one batch in flight keeps the order without it (a retried duplicate is
        // counted: both sides are measured on the records really on the topic)
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
