package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.bench.BenchmarkResult.Figures;
import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How many device-reports per second the packaged rollout-service applies, on a fresh broker and database: a wave of
 * N devices (N devices put into its inventory with COPY, a rollout of one 100 % wave created through its API, its N
 * actions created and sent) reports, per device, a DeviceSeen heartbeat, an ActionProgressed and a successful
 * ActionFinished — 3N reports sent to {@code device-reports}, timed from the first send until every action is
 * SUCCEEDED in its database. The baseline, in the same run on the same broker: a plain KafkaConsumer reading the same
 * 3N records from a fresh topic with as many partitions. Also N DeviceRegistered of new devices (a fleet registering
 * at once), until all N are in its inventory. Prints the service's CPU time per report (its JVM's; the database's is
 * not in it) and the load average with every figure. A warm-up wave of up to 2,000 devices runs first, not measured.
 *
 * <p>Until 2026-12-05 this was rollout-service's {@code src/test/java/io/updraft/rollout/ReportIntakeBenchmark.java},
 * a {@code @QuarkusTest} that also fed the same records to the service's consumer methods in-process (per report vs
 * set-based: the before/after of ADR 0005); its "through the channel" figure is what this measures.
 */
final class ReportIntakeBenchmark {
    private static final String SUCCEEDED = "select count(*) from device_action where rollout_id = ? and state = "
            + "'SUCCEEDED'";

    private final Path root;
    private final Path work;
    private final int devices;
    private final Consumer<String> say;

    ReportIntakeBenchmark(Path root, Path work, int devices, Consumer<String> say) {
        this.root = root;
        this.work = work;
        this.devices = devices;
        this.say = say;
    }

    void run(Figures figures) throws Exception {
        AppSnapshot.deleteRecursively(work.resolve("stack"));
        Path apps = AppSnapshot.of(root, work.resolve("apps"), List.of("rollout-service"));
        int warmUp = Math.min(devices, 2_000);
        try (DevStack stack = DevStack.start(work.resolve("stack"), true)) {
            String bootstrap = stack.kafkaBootstrap();
            DevKeys keys = DevKeys.in(work.resolve("keys"));
            Map<String, String> config = RolloutFanoutBenchmark.serviceConfig(stack, "rollout", keys);
            Path jar = apps.resolve("rollout-service/target/quarkus-app/quarkus-run.jar");
            // the heap and collector of the test JVM this benchmark ran in until it moved here
            try (ServerUnderTest service = new ServerUnderTest("rollout-service", jar, DevStack.freePort(),
                    ServiceClassPathRun.JVM, config, work.resolve("rollout-service.log")).start()) {
                ReleasePublished release = RolloutFanoutBenchmark.publishRelease(bootstrap, stack.jdbcUrl("rollout"));
                InventoryLoader.load(stack.jdbcUrl("rollout"), DevStack.DB_USER, DevStack.DB_PASSWORD, "warm",
                        "reports-warm", warmUp);
                InventoryLoader.load(stack.jdbcUrl("rollout"), DevStack.DB_USER, DevStack.DB_PASSWORD, "rep",
                        "reports", devices);
                String token = keys.tokens().admin();

                List<DeviceReport> warm = reports(wave(stack, service, token, release, "reports-warm", warmUp));
                IntakeMeasure.send(bootstrap, Topics.DEVICE_REPORTS, warm, DeviceReport::deviceId);
                IntakeMeasure.awaitCount(stack, "rollout", SUCCEEDED, rolloutOf(warm), warmUp, Duration.ofMinutes(5));
                say.accept(String.format(Locale.ROOT, "warm-up: %,d reports applied", warm.size()));

                List<DeviceReport> reports = reports(wave(stack, service, token, release, "reports", devices));
                KafkaBaseline.Rate plain = IntakeMeasure.plainConsumer(bootstrap, Topics.DEVICE_REPORTS,
                        "bench-raw-reports", reports, DeviceReport::deviceId);
                figures.add(Figure.of("plain KafkaConsumer reading the same reports", plain.perSecond(), "records/s")
                        .note(String.format(Locale.ROOT, "%,d records in %.2f s, a fresh topic with the partitions of"
                                + " device-reports", plain.records(), plain.seconds())));
                IntakeMeasure.Timed applied = IntakeMeasure.throughTopic(stack, "rollout", service.pid(),
                        Topics.DEVICE_REPORTS, reports, DeviceReport::deviceId, SUCCEEDED, rolloutOf(reports), devices);
                figures.add(Figure.of(String.format(Locale.ROOT, "%,d devices × (DeviceSeen, ActionProgressed, "
                        + "ActionFinished): reports/s through device-reports until every action SUCCEEDED", devices),
                        applied.rate(), "reports/s").against(plain.perSecond(), "plain KafkaConsumer, same records")
                        .note(applied.note()));
                figures.add(Figure.of("rollout-service CPU per report (its JVM)", applied.cpuMicros(), "µs"));
                say.accept(String.format(Locale.ROOT, "reports: %,.0f reports/s (%.0f µs CPU each) vs the plain "
                        + "consumer's %,.0f records/s = %.1f %% | load %s", applied.rate(), applied.cpuMicros(),
                        plain.perSecond(), 100 * applied.rate() / plain.perSecond(), applied.load()));

                String model = "reg-" + UUID.randomUUID().toString().substring(0, 8);
                List<DeviceReport> registered = new ArrayList<>(devices);
                for (int i = 1; i <= devices; i++) {
                    registered.add(new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                            UpdraftEvent.SCHEMA_VERSION, model + "-" + i, "default", Map.of(DeviceReport.MODEL, model,
                                    DeviceReport.REVISION, "1", "site", "lab")));
                }
                IntakeMeasure.Timed registrations = IntakeMeasure.throughTopic(stack, "rollout", service.pid(),
                        Topics.DEVICE_REPORTS, registered, DeviceReport::deviceId,
                        "select count(*) from device where model = ?", model, devices);
                figures.add(Figure.of(String.format(Locale.ROOT, "%,d DeviceRegistered of new devices: reports/s "
                        + "until all are in the inventory", devices), registrations.rate(), "reports/s")
                        .against(plain.perSecond(), "plain KafkaConsumer, the wave's records")
                        .note(registrations.note()));
                figures.add(Figure.of("rollout-service CPU per DeviceRegistered (its JVM)", registrations.cpuMicros(),
                        "µs"));
                say.accept(String.format(Locale.ROOT, "registrations: %,.0f reports/s (%.0f µs CPU each) | load %s",
                        registrations.rate(), registrations.cpuMicros(), registrations.load()));
            }
        }
    }

    /** One action of a running wave, as rollout-service created it. */
    private record Action(String rolloutId, String deviceId, long actionId, int wave, String cohort, String releaseId,
            String version) {
    }

    /** A rollout of one 100 % wave over {@code fleet}, every action created and its command sent. */
    private List<Action> wave(DevStack stack, ServerUnderTest service, String token, ReleasePublished release,
            String fleet, int expected) throws Exception {
        JsonNode view = RolloutFanoutBenchmark.createRollout(service, token, release, fleet, List.of(100));
        String id = view.path("id").asText();
        IntakeMeasure.awaitCount(stack, "rollout", "select count(*) from device_action where rollout_id = ?", id,
                expected, Duration.ofMinutes(10));
        IntakeMeasure.awaitCount(stack, "rollout", "select case when count(*) = 0 then 1 else 0 end from "
                + "command_dispatch where rollout_id = ?", id, 1, Duration.ofMinutes(10));
        List<Action> actions = new ArrayList<>(expected);
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl("rollout"), DevStack.DB_USER,
                DevStack.DB_PASSWORD); PreparedStatement query = connection.prepareStatement("select device_id, "
                        + "action_id, wave, cohort, release_id, version from device_action where rollout_id = ? "
                        + "order by device_id")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    actions.add(new Action(id, rows.getString(1), rows.getLong(2), rows.getInt(3), rows.getString(4),
                            rows.getString(5), rows.getString(6)));
                }
            }
        }
        return actions;
    }

    /** Per device, in this order: a heartbeat, progress, success. */
    private static List<DeviceReport> reports(List<Action> actions) {
        List<DeviceReport> reports = new ArrayList<>(3 * actions.size());
        for (Action a : actions) {
            reports.add(new DeviceReport.DeviceSeen(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    a.deviceId()));
            reports.add(new DeviceReport.ActionProgressed(EventMeta.newId(), EventMeta.now(),
                    UpdraftEvent.SCHEMA_VERSION, a.deviceId(), a.actionId(), a.rolloutId(), a.cohort(), "proceeding",
                    List.of()));
            reports.add(new DeviceReport.ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    a.deviceId(), a.actionId(), a.rolloutId(), a.wave(), a.cohort(), a.releaseId(), a.version(), false,
                    DeviceReport.Outcome.SUCCESS, List.of()));
        }
        return reports;
    }

    private static String rolloutOf(List<DeviceReport> reports) {
        return ((DeviceReport.ActionFinished) reports.get(2)).rolloutId();
    }
}
