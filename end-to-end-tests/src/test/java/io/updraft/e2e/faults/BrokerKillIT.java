package io.updraft.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.cluster.KafkaCluster;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.ServiceProcess;
import io.updraft.launcher.UpdraftApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the Kafka broker that leads the most {@code device-commands} partitions, in the middle of a
 * rollout, on a three-node cluster (replication 3, {@code min.insync.replicas} 2): the rollout completes and every
 * device gets exactly one action, which finishes successfully exactly once — counted in rollout-service, in the
 * gateway's database, on {@code device-commands} and {@code device-reports}, and on the devices. Prints how long
 * producers stalled.
 */
class BrokerKillIT {
    private static final String PREFIX = "bkill";
    private static final String MODEL = "gw-900";
    private static final int DEVICES = 600;
    private static final int PER_MINUTE = 900;
    private static final String COMMANDS = "device-commands";
    private static final String REPORTS = "device-reports";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killingTheBrokerThatLeadsMostCommandPartitionsMidRolloutLosesAndRepeatsNoAction() throws Exception {
        long wallStart = System.nanoTime();
        Path root = Path.of(System.getProperty("updraft.root", "..")).toAbsolutePath().normalize();
        Path home = root.resolve("end-to-end-tests/target/broker-kill-" + ProcessHandle.current().pid());
        try (KafkaCluster cluster = KafkaCluster.start(home.resolve("cluster"))) {
            // the broker stamps each command with the time it appended it: gaps in those are the producers' stall
            setTopicConfig(cluster, COMMANDS, "message.timestamp.type", "LogAppendTime");
            try (LocalStack stack = LocalStack.start(home.resolve("stack"), root, true, false, Map.of(
                    "kafka.bootstrap.servers", cluster.bootstrapServers(),
                    "kafka-streams.replication.factor", String.valueOf(KafkaCluster.REPLICATION_FACTOR),
                    "updraft.gateway.polling.interval", "PT2S",
                    "updraft.gateway.polling.active-interval", "PT1S",
                    "updraft.telemetry.window", "2s"))) {
                try {
                    run(cluster, stack, wallStart);
                } finally {
                    // all at once: one after the other, the four graceful stops take longer than the test itself
                    stopAllAtOnce(stack.services().values());
                }
            }
        }
    }

    private void run(KafkaCluster cluster, LocalStack stack, long wallStart) throws Exception {
        UpdraftApi api = UpdraftApi.of(stack);
        // the internal topics too are on three replicas with two needed in sync (the consumer groups created the
        // offsets topic; the transaction log exists only if something wrote in transactions: telemetry's Streams
        // under exactly_once_v2, not its at-least-once default)
        await("internal topics created").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.admin().listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                        .listInternal(true)).names().get().contains("__consumer_offsets"));
        Set<String> internal = cluster.admin().listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                .listInternal(true)).names().get();
        for (String topic : List.of("__consumer_offsets", "__transaction_state", COMMANDS, REPORTS)) {
            if (internal.contains(topic) || !topic.startsWith("__")) {
                assertReplicatedThreeTimesWithMinIsrTwo(cluster, topic);
            }
        }

        FleetScenario scenario = new FleetScenario(stack.service("device-gateway").url(), "DEFAULT",
                stack.gatewayToken(), PREFIX, List.of(new FleetScenario.HardwareMix(MODEL, "1.0", DEVICES)),
                List.of(), Duration.ofMillis(400), Duration.ofSeconds(2), "1.0.0");
        try (Fleet fleet = new Fleet(scenario).start()) {
            // given a fleet known to rollout-service and a release for it
            await("fleet in the inventory").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.devices("model=" + MODEL + "&size=1").path("total").asLong() == DEVICES);
            byte[] image = new byte[32 * 1024];
            new Random(18).nextBytes(image);
            JsonNode release = api.publishRelease("bkill-firmware", "2.0.0",
                    List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                    List.of(new UpdraftApi.Artifact("bkill-firmware-2.0.0.swu", image)));

            // and a rollout in four waves whose installs go out at 900 a minute, so commands keep being appended
            ObjectNode body = UpdraftApi.object().put("name", "broker kill").put("releaseId", release.path("id").asText())
                    .put("soakTime", "PT1S");
            body.putObject("target").put("fleet", PREFIX);
            body.putArray("waves").add(10).add(40).add(70).add(100);
            body.putObject("rolloutRate").put("maximumPerMinute", PER_MINUTE);
            long rolloutStart = System.nanoTime();
            String rolloutId = await("rollout created").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        HttpResponse<String> response = api.tryCreateRollout(body);
                        return response.statusCode() == 201 ? UpdraftApi.parse(response.body()).path("id").asText() : null;
                    }, id -> id != null);

            // when wave 2's installs are being appended to device-commands (20 of its 180 seen), the broker leading the
            // most device-commands partitions is killed
            try (KafkaConsumer<String, String> tail = TopicRecords.fromTheBeginning(cluster.bootstrapServers(), COMMANDS)) {
                AtomicLong wave2Seen = new AtomicLong();
                await("wave 2 being sent").atMost(Duration.ofMinutes(3)).pollInSameThread().pollInterval(Duration.ZERO)
                        .until(() -> {
                            for (ConsumerRecord<String, String> record : tail.poll(Duration.ofMillis(100))) {
                                JsonNode event = UpdraftApi.parse(record.value());
                                if (rolloutId.equals(event.path("rolloutId").asText()) && event.path("wave").asInt() == 2
                                        && "InstallRequested".equals(event.path("type").asText())) {
                                    wave2Seen.incrementAndGet();
                                }
                            }
                            return wave2Seen.get() >= 20;
                        });
            }
            Map<Integer, Integer> leadersBefore = cluster.leaders(COMMANDS);
            int victim = mostFrequent(leadersBefore.values());
            long ledPartitions = leadersBefore.values().stream().filter(id -> id == victim).count();
            int quorumLeader = cluster.admin().describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId();
            JsonNode atKill = api.rollout(rolloutId);
            long killedAt = System.currentTimeMillis();
            long killNanos = System.nanoTime();
            cluster.kill9(victim);
            assertThat(cluster.isAlive(victim)).isFalse();
            assertThat(atKill.path("state").asText()).isEqualTo("RUNNING");

            // then the other nodes take over its partitions
            AtomicLong reElected = new AtomicLong();
            await("leaders re-elected").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Collection<Integer> leaders = cluster.leaders(COMMANDS).values();
                boolean moved = !leaders.contains(victim) && !leaders.contains(-1);
                if (moved) {
                    reElected.set(System.nanoTime());
                }
                return moved;
            });
            Map<Integer, Integer> leadersAfter = cluster.leaders(COMMANDS);

            // and the rollout completes on the two that are left
            await("rollout completed").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "COMPLETED".equals(api.rollout(rolloutId).path("state").asText()));
            long rolloutMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rolloutStart);
            await("every device on 2.0.0").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fleet.versionsByModel().equals(Map.of(MODEL, Map.of("2.0.0", (long) DEVICES))));
            Set<String> fleetIds = new HashSet<>(fleet.deviceIds());
            // and every service is ready on the two nodes left, telemetry's Streams included
            Map<String, Integer> readiness = new TreeMap<>();
            await("services ready after the kill").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        stack.services().forEach((name, service) -> readiness.put(name, readiness(service.url())));
                        return readiness.values().stream().allMatch(status -> status == 200);
                    });

            // and every device got exactly one action, finished once: as rollout-service counts ...
            Map<String, Integer> actionsPerDevice = new HashMap<>();
            Map<String, Integer> succeededPerDevice = new HashMap<>();
            for (JsonNode action : api.rolloutActions(rolloutId)) {
                actionsPerDevice.merge(action.path("deviceId").asText(), 1, Integer::sum);
                if ("SUCCEEDED".equals(action.path("state").asText())) {
                    succeededPerDevice.merge(action.path("deviceId").asText(), 1, Integer::sum);
                }
            }
            Tally rolloutActions = Tally.of(fleetIds, actionsPerDevice);
            Tally rolloutSucceeded = Tally.of(fleetIds, succeededPerDevice);
            // ... as the gateway holds them ...
            Map<String, Integer> gatewayActions = new HashMap<>();
            Map<String, Integer> gatewayFinished = new HashMap<>();
            gatewayCounts(stack, rolloutId, gatewayActions, gatewayFinished);
            Tally gatewayAll = Tally.of(fleetIds, gatewayActions);
            Tally gatewayDone = Tally.of(fleetIds, gatewayFinished);
            // ... as device-commands carries them, by device key and distinct command id ...
            TopicRecords commands = TopicRecords.read(cluster.bootstrapServers(), COMMANDS);
            Map<String, Set<String>> commandIds = new HashMap<>();
            List<TopicRecords.Appended> ours = new ArrayList<>();
            int waveAtKill = atKill.path("currentWave").asInt();
            long waveAtKillStart = Long.MAX_VALUE;
            long maxLagBefore = 0;
            long maxLagAfter = 0;
            int commandRecords = 0;
            boolean keyedByDevice = true;
            for (TopicRecords.Appended record : commands.records()) {
                JsonNode event = UpdraftApi.parse(record.value());
                if (!"InstallRequested".equals(event.path("type").asText())
                        || !rolloutId.equals(event.path("rolloutId").asText())) {
                    continue;
                }
                assertThat(record.appendTime()).as("device-commands stamped with the broker's append time").isTrue();
                commandRecords++;
                keyedByDevice &= record.key().equals(event.path("deviceId").asText());
                commandIds.computeIfAbsent(record.key(), k -> new HashSet<>()).add(event.path("eventId").asText());
                ours.add(record);
                if (event.path("wave").asInt() == waveAtKill) {
                    waveAtKillStart = Math.min(waveAtKillStart, record.timestamp());
                }
                long lag = record.timestamp() - Instant.parse(event.path("occurredAt").asText()).toEpochMilli();
                if (record.timestamp() < killedAt) {
                    maxLagBefore = Math.max(maxLagBefore, lag);
                } else {
                    maxLagAfter = Math.max(maxLagAfter, lag);
                }
            }
            Map<String, Integer> distinctCommands = new HashMap<>();
            commandIds.forEach((device, ids) -> distinctCommands.put(device, ids.size()));
            Tally topicCommands = Tally.of(fleetIds, distinctCommands);
            // ... and as device-reports carries the successes, by distinct action id
            Map<String, Set<String>> successIds = new HashMap<>();
            for (TopicRecords.Appended record : TopicRecords.read(cluster.bootstrapServers(), REPORTS).records()) {
                JsonNode event = UpdraftApi.parse(record.value());
                if ("ActionFinished".equals(event.path("type").asText()) && rolloutId.equals(event.path("rolloutId").asText())
                        && "SUCCESS".equals(event.path("outcome").asText())) {
                    successIds.computeIfAbsent(record.key(), k -> new HashSet<>()).add(event.path("actionId").asText());
                }
            }
            Map<String, Integer> distinctSuccesses = new HashMap<>();
            successIds.forEach((device, ids) -> distinctSuccesses.put(device, ids.size()));
            Tally topicSuccesses = Tally.of(fleetIds, distinctSuccesses);

            AppendGaps gaps = AppendGaps.of(ours);
            long reElection = reElected.get() - killNanos;
            Map<Integer, Long> acrossKill = gaps.across(killedAt);
            Map<Integer, Long> ledByVictim = new TreeMap<>();
            Map<Integer, Long> ledByOthers = new TreeMap<>();
            acrossKill.forEach((partition, gap) -> (leadersBefore.get(partition) == victim ? ledByVictim : ledByOthers)
                    .put(partition, gap));
            long stall = acrossKill.values().stream().mapToLong(Long::longValue).max().orElse(0);
            long before = gaps.longestWithin(waveAtKillStart, killedAt);
            long appendedAfter = gaps.countFrom(killedAt);
            long lost = rolloutActions.lost() + rolloutSucceeded.lost() + gatewayAll.lost() + gatewayDone.lost()
                    + topicCommands.lost() + topicSuccesses.lost();
            long duplicated = rolloutActions.duplicated() + rolloutSucceeded.duplicated() + gatewayAll.duplicated()
                    + gatewayDone.duplicated() + topicCommands.duplicated() + topicSuccesses.duplicated()
                    + fleet.repeatedInstalls().size();

            System.out.println(String.join("\n",
                    "",
                    "=== BrokerKillIT: kill -9 of a Kafka broker in the middle of a rollout ===",
                    line("cluster", KafkaCluster.NODES + " nodes (KRaft, broker+controller each, 3 voters), replication "
                            + KafkaCluster.REPLICATION_FACTOR + ", min.insync.replicas " + KafkaCluster.MIN_INSYNC_REPLICAS),
                    line("rollout", DEVICES + " devices, waves 10/40/70/100 %, " + PER_MINUTE + " installs a minute"),
                    line("kills", "1: node " + victim + " (led " + ledPartitions + " of " + leadersBefore.size() + " "
                            + COMMANDS + " partitions " + leadersBefore + "; quorum leader was node " + quorumLeader
                            + ") at " + Instant.ofEpochMilli(killedAt) + ", " + seconds(killNanos - rolloutStart)
                            + " into the rollout, wave " + waveAtKill + " being sent"),
                    line("leader re-election", seconds(reElection) + " after the kill (leaders now " + leadersAfter + ")"),
                    line("producer stall", "longest time a " + COMMANDS + " partition took no append across the kill: "
                            + ms(stall) + "; per partition the killed node led " + msMap(ledByVictim)
                            + ", the others " + msMap(ledByOthers) + "; longest gap on a partition in wave "
                            + waveAtKill + " before the kill " + ms(before)),
                    // a record appended by a live leader still waits for its acks=all until the dead follower
                    // leaves the in-sync replicas: that wait shows in the gaps above, not in this lag
                    line("command append lag", "longest from a command's creation to its append by the leader: "
                            + ms(maxLagAfter) + " after the kill, " + ms(maxLagBefore) + " before"),
                    line("appended after kill", appendedAfter + " of " + commandRecords + " InstallRequested records"),
                    line("rollout", "COMPLETED " + seconds(TimeUnit.MILLISECONDS.toNanos(rolloutMillis)) + " after it was created"),
                    line("rollout-service", "actions " + rolloutActions + "; succeeded " + rolloutSucceeded),
                    line("gateway database", "actions " + gatewayAll + "; finished " + gatewayDone),
                    line(COMMANDS, "distinct command ids " + topicCommands + " (" + commandRecords
                            + " records: re-sends under the same id are not duplicates)"),
                    line(REPORTS, "distinct successful actions " + topicSuccesses),
                    line("readiness after", readiness.toString()),
                    line("devices", fleet.versionsByModel() + ", repeated installs " + fleet.repeatedInstalls().size()),
                    line("actions lost", String.valueOf(lost)),
                    line("actions duplicated", String.valueOf(duplicated)),
                    line("wall time", seconds(System.nanoTime() - wallStart)),
                    ""));

            assertThat(ledPartitions).as("the killed node led device-commands partitions").isPositive();
            assertThat(appendedAfter).as("commands were still being sent when the broker died").isPositive();
            assertThat(keyedByDevice).as("device-commands keyed by device id").isTrue();
            assertThat(lost).as("actions lost").isZero();
            assertThat(duplicated).as("actions duplicated").isZero();
            assertThat(api.rollout(rolloutId).path("waves"))
                    .allSatisfy(wave -> assertThat(wave.path("state").asText()).isEqualTo("DONE"));
        }
    }

    /** Per device of the fleet: none (lost), one, or more (duplicated); devices outside the fleet count as duplicated. */
    record Tally(long devices, long lost, long duplicated) {
        static Tally of(Set<String> fleet, Map<String, Integer> perDevice) {
            long lost = fleet.stream().filter(id -> perDevice.getOrDefault(id, 0) == 0).count();
            long duplicated = perDevice.entrySet().stream()
                    .filter(e -> e.getValue() > 1 || !fleet.contains(e.getKey())).count();
            return new Tally(perDevice.size(), lost, duplicated);
        }

        @Override
        public String toString() {
            return devices + " devices, " + lost + " lost, " + duplicated + " duplicated";
        }
    }

    private static void gatewayCounts(LocalStack stack, String rolloutId, Map<String, Integer> actions,
            Map<String, Integer> finished) throws Exception {
        DevStack infrastructure = stack.infrastructure();
        try (Connection connection = DriverManager.getConnection(infrastructure.jdbcUrl("gateway"), DevStack.DB_USER,
                DevStack.DB_PASSWORD); PreparedStatement select = connection.prepareStatement(
                        "select controller_id, count(*), count(*) filter (where status = 'FINISHED') from device_action"
                                + " where command::jsonb ->> 'rolloutId' = ? group by controller_id")) {
            select.setString(1, rolloutId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    actions.put(rows.getString(1), rows.getInt(2));
                    finished.put(rows.getString(1), rows.getInt(3));
                }
            }
        }
    }

    private static void assertReplicatedThreeTimesWithMinIsrTwo(KafkaCluster cluster, String topic) throws Exception {
        TopicDescription description = cluster.admin().describeTopics(List.of(topic)).allTopicNames()
                .get(15, TimeUnit.SECONDS).get(topic);
        assertThat(description.partitions()).as(topic).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = cluster.admin().describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource);
        assertThat(config.get("min.insync.replicas").value()).as(topic + " min.insync.replicas").isEqualTo("2");
    }

    private static void stopAllAtOnce(Collection<ServiceProcess> services) throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess service : services) {
            Thread thread = new Thread(service::stop, "stop-" + service.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            thread.join();
        }
    }

    private static int readiness(String serviceUrl) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void setTopicConfig(KafkaCluster cluster, String topic, String key, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        cluster.admin().incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    private static int mostFrequent(Collection<Integer> values) {
        Map<Integer, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static String line(String label, String value) {
        return String.format(Locale.ROOT, "%-22s %s", label, value);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String msMap(Map<Integer, Long> millis) {
        return millis.entrySet().stream().map(e -> e.getKey() + "=" + ms(e.getValue()))
                .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
    }

    private static String ms(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1e3);
    }
}
