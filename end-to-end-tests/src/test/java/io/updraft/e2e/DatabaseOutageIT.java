package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.devstack.PostgresServer;
import io.updraft.e2e.outage.DeadLetters;
import io.updraft.e2e.outage.EndpointProbe;
import io.updraft.e2e.outage.ProbeDevice;
import io.updraft.e2e.outage.ReadinessWatch;
import io.updraft.fleet.Fleet;
import io.updraft.fleet.FleetScenario;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL server every service's database lives on is stopped for 15 s in the middle of a rollout (a real
 * stop: connections refused), then started again. rollout-service reports not ready meanwhile and ready after; the
 * gateway answers every DDI request from memory or with 503 + Retry-After, never 500; the rollout completes with
 * every device's action installed once and nothing lost or repeated.
 */
class DatabaseOutageIT {
    private static final int DEVICES = 30;
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final String MODEL = "gw-810";

    @Test
    void aRolloutThroughA15SecondDatabaseOutageCompletesWithNothingLostAndNo500() throws Exception {
        long begun = System.nanoTime();
        LocalStack stack = EndToEndStack.get();
        Duration stackUp = Duration.ofNanos(System.nanoTime() - begun);
        UpdraftApi api = UpdraftApi.of(stack);
        PostgresServer postgres = PostgresServer.of(stack.infrastructure());
        String run = "db" + UUID.randomUUID().toString().substring(0, 8);
        String fleetName = run + "-f";
        String probeFleet = run + "-probe";
        String gateway = stack.service("device-gateway").url();
        String rolloutUrl = stack.service("rollout-service").url();

        // given two devices the test drives itself: one that will have an action, one that will have none
        ProbeDevice withAction = new ProbeDevice(gateway, stack.gatewayToken(), run + "-p-action");
        ProbeDevice idle = new ProbeDevice(gateway, stack.gatewayToken(), run + "-p-idle");
        for (ProbeDevice device : List.of(withAction, idle)) {
            assertThat(device.send(device.poll()).statusCode()).isEqualTo(200);
            assertThat(device.send(device.configData(MODEL, "1.0", device == idle ? run + "-idle" : probeFleet))
                    .statusCode()).isEqualTo(200);
        }
        // and a simulated fleet, installs taking 1-4 s
        FleetScenario scenario = new FleetScenario(gateway, "DEFAULT", stack.gatewayToken(), fleetName,
                List.of(new FleetScenario.HardwareMix(MODEL, "1.0", DEVICES)), List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), "0.9.0", Duration.ofSeconds(4), List.of(), 0.0, 18L);
        EndpointProbe probe = null;
        try (Fleet fleet = new Fleet(scenario).start();
                ReadinessWatch rolloutReadiness = new ReadinessWatch(rolloutUrl);
                ReadinessWatch gatewayReadiness = new ReadinessWatch(gateway)) {
            await("fleet and probe devices in the inventory").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> devicesKnown(api, run) == DEVICES + 2);
            byte[] image = new byte[48 * 1024];
            new Random(18).nextBytes(image);
            JsonNode release = api.publishRelease(run + "-fw", "1.0.1", List.of(new UpdraftApi.Hardware(MODEL, "1.0")),
                    List.of(new UpdraftApi.Artifact(run + "-fw-1.0.1.swu", image)));
            String releaseId = release.path("id").asText();

            // and the probe device's own action, fetched and in progress before the outage
            String probeRollout = EndToEndStack.createRollout(api, rollout("probe " + run, releaseId, probeFleet, 100),
                    Duration.ofSeconds(60));
            String deploymentHref = await("probe device offered its action").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> UpdraftApi.parse(withAction.send(withAction.poll()).body()).path("_links")
                            .path("deploymentBase").path("href").asText(null), href -> href != null);
            long probeAction = Long.parseLong(deploymentHref.replaceAll(".*/deploymentBase/(\\d+).*", "$1"));
            assertThat(withAction.send(withAction.deploymentBase(probeAction)).statusCode()).isEqualTo(200);
            assertThat(withAction.send(withAction.feedback(probeAction, "proceeding", "none")).statusCode())
                    .isEqualTo(200);

            // and the fleet's rollout in three waves, its second wave just started
            String rolloutId = EndToEndStack.createRollout(api, rollout("outage " + run, releaseId, fleetName, 20, 50,
                    100), Duration.ofSeconds(60));
            await("second wave started").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !"PENDING".equals(api.rollout(rolloutId).path("waves").path(1).path("state").asText()));

            // and devices and an operator calling meanwhile: known and unknown devices, the poll, the deployment and
            // the feedback endpoints, the management API
            ProbeDevice unknown = new ProbeDevice(gateway, stack.gatewayToken(), run + "-p-new");
            Map<String, HttpRequest> requests = new LinkedHashMap<>();
            requests.put("poll known device with action", withAction.poll());
            requests.put("poll known idle device", idle.poll());
            requests.put("poll fleet device", new ProbeDevice(gateway, stack.gatewayToken(),
                    fleet.deviceIds().get(DEVICES - 1)).poll());
            requests.put("poll unknown device", unknown.poll());
            requests.put("deploymentBase of its action", withAction.deploymentBase(probeAction));
            requests.put("deploymentBase of an unknown action", withAction.deploymentBase(987_654_321L));
            requests.put("feedback on an unknown action", withAction.feedback(987_654_321L, "proceeding", "none"));
            requests.put("feedback from an unknown device", unknown.feedback(987_654_322L, "proceeding", "none"));
            requests.put("rollout-service GET rollout", HttpRequest.newBuilder(URI.create(rolloutUrl
                    + "/api/v1/rollouts/" + rolloutId)).header("Authorization", "Bearer " + stack.adminToken())
                    .timeout(Duration.ofSeconds(30)).GET().build());
            probe = new EndpointProbe(requests);

            // when PostgreSQL is stopped for 15 s
            Instant stopAsked = Instant.now();
            postgres.stop();
            Instant stopped = Instant.now();
            assertThat(postgres.accepting()).as("connections refused while stopped").isFalse();
            // the probe device finishes its install now and reports it, as an agent does, until the gateway takes it
            CompletableFuture<List<ProbeDevice.Attempt>> finalFeedback = CompletableFuture.supplyAsync(() -> {
                try {
                    return withAction.sendHonouringRetryAfter(withAction.feedback(probeAction, "closed", "success"),
                            Duration.ofMinutes(3));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(OUTAGE.toMillis() - Duration.between(stopAsked, Instant.now()).toMillis()); // the fault
            Instant startAsked = Instant.now();
            postgres.start();
            Instant restarted = Instant.now();

            List<ProbeDevice.Attempt> feedbackAttempts;
            try {
                // then rollout-service is ready again: UP after the DOWN the outage caused. Not "UP after pg_ctl
                // returned": pg_ctl start polls, and on a busy machine the service can see the database (and turn UP)
                // before pg_ctl notices and returns, leaving no change after that instant.
                await("rollout-service ready again").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> upAgain(rolloutReadiness, stopAsked) != null);
                // and the rollouts complete
                await("fleet rollout completed").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "COMPLETED".equals(api.rollout(rolloutId).path("state").asText()));
                feedbackAttempts = finalFeedback.get(3, TimeUnit.MINUTES);
                await("probe rollout completed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "COMPLETED".equals(api.rollout(probeRollout).path("state").asText()));
                await("every simulated device on 1.0.1").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() -> Map.of(MODEL, Map.of("1.0.1", (long) DEVICES)).equals(fleet.versionsByModel()));
            } catch (Throwable failed) {
                // what the outage left behind, for whoever reads the failure
                System.out.println("DatabaseOutageIT failed after the outage: rollout " + api.rollout(rolloutId)
                        + "\nfleet " + fleet.summary() + " last error " + fleet.lastError()
                        + "\nanswers during the outage " + probe.histogram(stopAsked, restarted)
                        + "\nbroken answers " + probe.answers(EndpointProbe.Answer::broken).stream().limit(5).toList()
                        + "\nreadiness " + rolloutReadiness.changes());
                throw failed;
            }
            probe.close();
            Duration completedAfterRestart = Duration.between(restarted, Instant.now());

            // what was measured
            ReadinessWatch.Change down = rolloutReadiness.firstAfter(stopAsked, ReadinessWatch.State.DOWN);
            ReadinessWatch.Change up = upAgain(rolloutReadiness, stopAsked);
            ReadinessWatch.Change gatewayDown = gatewayReadiness.firstAfter(stopAsked, ReadinessWatch.State.DOWN);
            ReadinessWatch.Change gatewayUp = upAgain(gatewayReadiness, stopAsked);
            Map<String, Map<Integer, Long>> duringOutage = probe.histogram(stopAsked, restarted);
            List<EndpointProbe.Answer> broken = probe.answers(EndpointProbe.Answer::broken);
            JsonNode view = api.rollout(rolloutId);
            JsonNode actions = api.rolloutActions(rolloutId);
            JsonNode probeActions = api.rolloutActions(probeRollout);
            Map<String, Integer> actionsPerDevice = new HashMap<>();
            actions.forEach(a -> actionsPerDevice.merge(a.path("deviceId").asText(), 1, Integer::sum));
            long succeededActions = count(actions, "SUCCEEDED") + count(probeActions, "SUCCEEDED");
            long targeted = 0;
            long waveSucceeded = 0;
            long waveFailed = 0;
            for (JsonNode wave : view.path("waves")) {
                targeted += wave.path("devices").asLong();
                waveSucceeded += wave.path("succeeded").asLong();
                waveFailed += wave.path("failed").asLong();
            }
            long deviceSuccesses = fleet.stats().installsSucceeded()
                    + (last(feedbackAttempts).status() == 200 ? 1 : 0);
            long expected = DEVICES + 1;
            long lost = Math.max(0, expected - succeededActions);
            long duplicated = (actions.size() - actionsPerDevice.size()) + Math.max(0, probeActions.size() - 1)
                    + fleet.repeatedInstalls().size() + Math.max(0, deviceSuccesses - expected);
            long parkedCommands = DeadLetters.count(stack.infrastructure().kafkaBootstrap(), "device-commands.dlq", run);
            long parkedReports = DeadLetters.count(stack.infrastructure().kafkaBootstrap(), "device-reports.dlq", run);
            Map<String, Long> heldBatches = new LinkedHashMap<>();
            for (String service : List.of("rollout-service", "device-gateway")) {
                try (var lines = java.nio.file.Files.lines(stack.service(service).log())) {
                    heldBatches.put(service, lines.filter(l -> l.contains("holding the batch until it is back")).count());
                }
            }

            System.out.println(report(Duration.between(stopAsked, restarted), Duration.between(stopAsked, stopped),
                    Duration.between(startAsked, restarted), stopAsked, down, up, gatewayDown, gatewayUp, duringOutage,
                    feedbackAttempts, broken, targeted + 1, actions.size() + probeActions.size(), deviceSuccesses,
                    waveSucceeded, waveFailed, fleet.stats().retriedAfterUnavailable(), parkedCommands,
                    parkedReports, heldBatches, lost, duplicated, probe.slowest(stopAsked, restarted),
                    Duration.ofNanos(System.nanoTime() - begun), stackUp, completedAfterRestart));

            // rollout-service said it was not ready while the database was away, and ready after
            assertThat(down).as("rollout-service readiness DOWN during the outage").isNotNull();
            assertThat(down.at()).isBefore(restarted);
            assertThat(up).as("rollout-service readiness UP after").isNotNull();
            // the gateway never answered 500 (or 503 without Retry-After and problem+json), nor failed to answer
            assertThat(broken).as("answers that were neither served nor 503 + Retry-After").isEmpty();
            // the feedback sent during the outage was refused with 503 + Retry-After, sent again and taken once
            assertThat(feedbackAttempts.get(0).status()).isEqualTo(503);
            assertThat(last(feedbackAttempts).status()).isEqualTo(200);
            assertThat(probeActions).hasSize(1);
            assertThat(probeActions.path(0).path("state").asText()).isEqualTo("SUCCEEDED");
            // the rollout completed and every device has exactly one action, which succeeded
            assertThat(view.path("waves")).allSatisfy(w -> assertThat(w.path("state").asText()).isEqualTo("DONE"));
            assertThat(actionsPerDevice).hasSize(DEVICES).allSatisfy((device, n) -> assertThat(n).isEqualTo(1));
            assertThat(actions).allSatisfy(a -> assertThat(a.path("state").asText()).isEqualTo("SUCCEEDED"));
            assertThat(targeted).isEqualTo(DEVICES);
            assertThat(waveSucceeded).isEqualTo(DEVICES);
            assertThat(waveFailed).isZero();
            assertThat(fleet.stats().installsSucceeded()).isEqualTo(DEVICES);
            assertThat(fleet.repeatedInstalls()).isEmpty();
            assertThat(parkedCommands + parkedReports).as("commands and reports parked on dead-letter topics").isZero();
            assertThat(lost).isZero();
            assertThat(duplicated).isZero();
        } finally {
            if (probe != null) {
                probe.close();
            }
            if (!postgres.accepting()) {
                postgres.start(); // the next test of this JVM needs its database
            }
        }
    }

    private static ObjectNode rollout(String name, String releaseId, String fleet, int... waves) {
        ObjectNode body = UpdraftApi.object().put("name", name).put("releaseId", releaseId).put("soakTime", "PT1S");
        body.putObject("target").put("fleet", fleet);
        var array = body.putArray("waves");
        for (int wave : waves) {
            array.add(wave);
        }
        return body;
    }

    /** The first UP after the first DOWN seen since {@code from}, or null (not down yet, or not back yet). */
    private static ReadinessWatch.Change upAgain(ReadinessWatch watch, Instant from) {
        ReadinessWatch.Change down = watch.firstAfter(from, ReadinessWatch.State.DOWN);
        return down == null ? null : watch.firstAfter(down.at(), ReadinessWatch.State.UP);
    }

    private static long devicesKnown(UpdraftApi api, String run) {
        long count = 0;
        for (JsonNode device : api.devices("model=" + MODEL + "&size=500").path("items")) {
            if (device.path("deviceId").asText().startsWith(run + "-")) {
                count++;
            }
        }
        return count;
    }

    private static long count(JsonNode actions, String state) {
        long n = 0;
        for (JsonNode action : actions) {
            n += state.equals(action.path("state").asText()) ? 1 : 0;
        }
        return n;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String report(Duration outage, Duration stopTook, Duration startTook, Instant stopAsked,
            ReadinessWatch.Change down, ReadinessWatch.Change up, ReadinessWatch.Change gatewayDown,
            ReadinessWatch.Change gatewayUp, Map<String, Map<Integer, Long>> histogram,
            List<ProbeDevice.Attempt> feedback, List<EndpointProbe.Answer> broken, long targeted, long actions,
            long deviceSuccesses, long waveSucceeded, long waveFailed, long simulatorRetries, long parkedCommands,
            long parkedReports, Map<String, Long> heldBatches, long lost, long duplicated, Duration slowest,
            Duration wall, Duration stackUp, Duration completedAfterRestart) {
        StringBuilder out = new StringBuilder("\n==== DatabaseOutageIT: PostgreSQL stopped mid-rollout ====\n");
        out.append(String.format("outage (stop asked → server accepting again): %.1f s (pg_ctl stop %.1f s, start %.1f s)%n",
                seconds(outage), seconds(stopTook), seconds(startTook)));
        out.append(String.format("rollout-service ready: DOWN at %s, UP at %s (relative to the stop)%n",
                relative(stopAsked, down), relative(stopAsked, up)));
        out.append(String.format("device-gateway ready:  DOWN at %s, UP at %s%n", relative(stopAsked, gatewayDown),
                relative(stopAsked, gatewayUp)));
        out.append("answers during the outage (endpoint: status x count):\n");
        histogram.forEach((endpoint, statuses) -> out.append(String.format("  %-38s %s%n", endpoint, statuses)));
        out.append(String.format("  slowest answer during the outage: %.1f s%n", seconds(slowest)));
        List<String> attempts = new ArrayList<>();
        feedback.forEach(a -> attempts.add(a.status() + (a.retryAfter() == null ? "" : "(Retry-After " + a.retryAfter()
                + ")") + "@" + relative(stopAsked, a.at())));
        out.append("final feedback sent during the outage, attempts: ").append(attempts).append('\n');
        out.append("simulated devices' requests retried after 503: ").append(simulatorRetries).append('\n');
        out.append("answers that were 5xx other than 503, 503 without Retry-After, or none: ").append(broken.size())
                .append(broken.isEmpty() ? "" : " e.g. " + broken.get(0)).append('\n');
        out.append(String.format("devices targeted %d, actions created %d, successes reported by devices %d,"
                + " rollout counts succeeded %d failed %d (fleet rollout)%n", targeted, actions, deviceSuccesses,
                waveSucceeded, waveFailed));
        out.append(String.format("parked on device-commands.dlq %d, device-reports.dlq %d; consumed batches held until"
                + " the database was back (service logs): %s%n", parkedCommands, parkedReports, heldBatches));
        out.append(String.format("actions lost: %d, duplicated: %d%n", lost, duplicated));
        out.append(String.format("rollouts completed and every device on 1.0.1 %.1f s after the restart%n",
                seconds(completedAfterRestart)));
        out.append(String.format("wall time of the test: %.0f s (of which the stack's start %.0f s)%n", seconds(wall),
                seconds(stackUp)));
        return out.append("===========================================================\n").toString();
    }

    private static String relative(Instant origin, ReadinessWatch.Change change) {
        return change == null ? "never" : relative(origin, change.at());
    }

    private static String relative(Instant origin, Instant at) {
        return String.format("%+.1fs", seconds(Duration.between(origin, at)));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
