package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registration storm against a deliberately small JDBC pool (4 connections): thousands of unknown devices make
 * their first poll with the gateway token at the same moment. Every poll ends 200 (or 503 + Retry-After, which a
 * retry turns into 200), every device is registered exactly once, and nothing is logged as an error.
 */
@QuarkusTest
@TestProfile(RegistrationStormIT.SmallPool.class)
class RegistrationStormIT extends GatewayTestBase {
    private static final int DEVICES = 3_000;
    private static final int CONNECTIONS = 1_000;

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "4",
                    "updraft.gateway.first-contact.retry-after", "PT1S");
        }

        /** The broker and database this JVM already runs, not a second stack (see RunningStackResource). */
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RunningStackResource.class));
        }
    }

    private final ConcurrentLinkedQueue<LogRecord> logged = new ConcurrentLinkedQueue<>();
    private final Handler errorLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<String, Long> registered = new HashMap<>();
    /** Read from the configuration: the Kafka test helper would look for the stack in another class loader. */
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    private KafkaConsumer<String, String> reports;
    private Vertx vertx;
    private HttpClient client;

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(errorLog);
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost").setDefaultPort(18083)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(errorLog);
        if (reports != null) {
            reports.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void givenThousandsOfUnknownDevices_whenAllPollAtOnce_thenEachIsRegisteredOnceAndAnswered() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, DEVICES).mapToObj(i -> "storm-" + run + "-" + i).toList();
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();

        List<String> waiting = new ArrayList<>(ids);
        int[] rounds = { 0 };
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            rounds[0]++;
            pollAll(waiting, statuses, unexpected);
            if (rounds[0] == 1) {
                System.out.printf("registration storm, first round: %s after %.2f s%n", statuses.values().stream()
                        .collect(Collectors.groupingBy(status -> status, java.util.TreeMap::new,
                                Collectors.counting())), (System.nanoTime() - started) / 1e9);
            }
            waiting.removeIf(id -> Integer.valueOf(200).equals(statuses.get(id)));
            return waiting.isEmpty() || !unexpected.isEmpty();
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("registration storm: %,d first polls (%d connections, JDBC pool 4) all answered 200 in"
                + " %.2f s = %,.0f first-contact polls/s; %d round(s), %d answers 503 + Retry-After%n", DEVICES,
                CONNECTIONS, seconds, DEVICES / seconds, rounds[0], refused.get());

        assertThat(unexpected).isEmpty();
        assertThat(statuses).hasSize(DEVICES).allSatisfy((id, status) -> assertThat(status).isEqualTo(200));

        Map<String, Long> registrations = new ConcurrentHashMap<>();
        eventually().atMost(Duration.ofSeconds(60)).until(() -> {
            registrations.clear();
            registrations.putAll(registeredCounts(Set.copyOf(ids)));
            return registrations.size() == DEVICES;
        });
        assertThat(registrations.values()).allMatch(count -> count == 1);

        // the caches are right: a second poll answers from a registered view and registers nothing again
        List<String> again = ids.subList(0, 200);
        Map<String, Integer> second = new ConcurrentHashMap<>();
        pollAll(again, second, unexpected);
        assertThat(unexpected).isEmpty();
        assertThat(second.values()).containsOnly(200);
        assertThat(registeredCounts(Set.copyOf(ids)).values()).allMatch(count -> count == 1);
        assertThat(logged).extracting(LogRecord::getMessage).isEmpty();
    }

    /** Sends every poll at once; records each status, and anything but 200 or 503 + Retry-After as unexpected. */
    private void pollAll(List<String> ids, Map<String, Integer> statuses, ConcurrentLinkedQueue<String> unexpected) {
        List<Future<?>> polls = new ArrayList<>();
        for (String id : ids) {
            polls.add(client.request(HttpMethod.GET, "/DEFAULT/controller/v1/" + id)
                    .compose(request -> request.putHeader("Authorization", "GatewayToken " + DdiDevice.GATEWAY_TOKEN)
                            .putHeader("Accept", "application/json").send())
                    .compose(response -> response.body().map(body -> {
                        int status = response.statusCode();
                        statuses.put(id, status);
                        if (status == 503) {
                            refused.incrementAndGet();
                        }
                        if (status == 200) {
                            JsonObject poll = body.toJsonObject();
                            if (poll.getJsonObject("config").getJsonObject("polling").getString("sleep") == null
                                    || poll.getJsonObject("_links").getJsonObject("configData") == null) {
                                unexpected.add(id + ": " + body);
                            }
                        } else if (status != 503 || response.getHeader("Retry-After") == null
                                || Integer.parseInt(response.getHeader("Retry-After")) < 1) {
                            unexpected.add(id + ": " + status + " " + body);
                        }
                        return status;
                    }))
                    .onFailure(e -> unexpected.add(id + ": " + e)));
        }
        Future.join(polls).toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    }

    /** DeviceRegistered events per device of {@code ids} on device-reports, read on from where the last call stopped. */
    private Map<String, Long> registeredCounts(Set<String> ids) {
        if (reports == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "storm-test-" + UUID.randomUUID());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            reports = new KafkaConsumer<>(props);
            List<TopicPartition> partitions = reports.partitionsFor(Topics.DEVICE_REPORTS, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reports.assign(partitions);
            reports.seekToBeginning(partitions);
        }
        for (ConsumerRecord<String, String> record : reports.poll(Duration.ofMillis(500))) {
            if (ids.contains(record.key()) && EventJson.read(record.value(),
                    DeviceReport.class) instanceof DeviceReport.DeviceRegistered) {
                registered.merge(record.key(), 1L, Long::sum);
            }
        }
        return Map.copyOf(registered);
    }
}
