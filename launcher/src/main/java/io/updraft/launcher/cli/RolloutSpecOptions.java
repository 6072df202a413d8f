package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.UpdraftApi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** What a rollout is: the options {@code rollout create} and {@code rollout preview} share, as the request body. */
final class RolloutSpecOptions {
    @Option(names = "--release", required = true, description = "release id or NAME@VERSION")
    String release;
    @Option(names = "--waves", split = ",", paramLabel = "PERCENT", description = "cumulative percentages,"
            + " e.g. 10,50,100 (default: one wave)")
    List<Integer> waves;
    @Option(names = "--target", paramLabel = "ATTRIBUTE=VALUE", description = "device attributes to match (repeat)")
    Map<String, String> target = new LinkedHashMap<>();
    @Option(names = "--filter", paramLabel = "EXPRESSION", description = "devices to match, e.g."
            + " 'model == \"gw-200\" and version < \"2.0.0\" and region in (\"eu\",\"us\")' (and-ed with --target)")
    String filter;
    @Option(names = "--approval", paramLabel = "POLICY", description = "NONE, BEFORE_EACH_WAVE or"
            + " BEFORE_LATER_WAVES (every wave after the first waits for `rollout approve`)")
    String approval;
    @Option(names = "--canary-per-cohort", paramLabel = "N", description = "devices of every cohort in wave 1"
            + " (service default 3; 0 = percentages only)")
    Integer canaryPerCohort;
    @Option(names = "--cohort-by", paramLabel = "ATTRIBUTE", description = "split the canary's cohorts further by"
            + " this attribute (repeat)")
    List<String> cohortBy = new ArrayList<>();
    @Option(names = "--soak", description = "ISO-8601 soak time per wave, e.g. PT10M")
    String soak;
    @Option(names = "--error-threshold", description = "failed share of a wave that pauses the rollout")
    Double errorThreshold;
    @Option(names = "--success-threshold", description = "finished share of a wave before it soaks")
    Double successThreshold;
    @Option(names = "--action-type", description = "FORCED, SOFT, DOWNLOAD_ONLY or TIMEFORCED")
    String actionType;
    @Option(names = "--rollback-failure-rate", description = "cohort failure rate that triggers its rollback")
    Double rollbackFailureRate;
    @Option(names = "--rollback-min-sample", description = "installs a cohort needs before it is judged")
    Integer rollbackMinSample;
    @Option(names = "--start-at", paramLabel = "INSTANT", description = "start wave 1 then (ISO-8601, e.g."
            + " 2026-11-28T02:00:00Z); the rollout is SCHEDULED until then")
    String startAt;
    @Option(names = "--wave-timeout", paramLabel = "DURATION", description = "judge a wave on what finished after"
            + " this long, so offline devices never block it (service default PT6H)")
    String waveTimeout;
    @Option(names = "--maintenance-window", paramLabel = "CRON,DURATION[,ZONE]", description = "devices install only"
            + " inside it, e.g. '0 0 2 ? * *,PT2H,Europe/Berlin' (Quartz cron)")
    String maintenanceWindow;
    @Option(names = "--action-deadline", paramLabel = "DURATION", description = "a device's install expires this long"
            + " after its wave started, e.g. PT48H")
    String actionDeadline;
    @Option(names = "--retries", paramLabel = "N", description = "times a failed install is sent again (0-10)")
    Integer retries;
    @Option(names = "--dynamic", description = "devices that register or start matching later join the rollout")
    boolean dynamic;
    @Option(names = "--wait-for-release", defaultValue = "PT60S", description = "how long to retry while the"
            + " rollout-service has not yet heard of a just-published release (default PT60S)")
    Duration waitForRelease;

    /**
     * Sends the body and returns the answer; retries for {@code --wait-for-release} while the rollout-service answers
     * that the release is unknown — it learns of a release through Kafka, a moment after CI published it.
     */
    JsonNode send(String what, Function<ObjectNode, HttpResponse<String>> call, ObjectNode body, int expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + waitForRelease.toNanos();
        while (true) {
            HttpResponse<String> response = call.apply(body);
            if (response.statusCode() == expected) {
                return UpdraftApi.parse(response.body());
            }
            boolean releaseNotYetKnown = response.statusCode() == 422 && response.body().contains("is unknown");
            if (!releaseNotYetKnown || System.nanoTime() > deadline) {
                throw new UpdraftApi.ApiException(what + " answered " + response.statusCode() + ": "
                        + RolloutCommands.detail(response.body()), response.statusCode());
            }
            Thread.sleep(500);
        }
    }

    /** The {@code POST /api/v1/rollouts} (or {@code /preview}) body; only what was given, the service defaults the rest. */
    ObjectNode body(UpdraftApi api) {
        ObjectNode body = UpdraftApi.object().put("releaseId", ReleaseCommands.resolveId(api, release));
        if (waves != null) {
            ArrayNode array = body.putArray("waves");
            waves.forEach(array::add);
        }
        if (!target.isEmpty()) {
            ObjectNode t = body.putObject("target");
            target.forEach(t::put);
        }
        if (filter != null) {
            body.put("filter", filter);
        }
        if (approval != null) {
            body.put("approval", approval.toUpperCase(Locale.ROOT));
        }
        if (canaryPerCohort != null) {
            body.put("canaryPerCohort", canaryPerCohort);
        }
        if (!cohortBy.isEmpty()) {
            ArrayNode array = body.putArray("cohortBy");
            cohortBy.forEach(array::add);
        }
        if (soak != null) {
            body.put("soakTime", soak);
        }
        if (errorThreshold != null) {
            body.put("errorThreshold", errorThreshold);
        }
        if (successThreshold != null) {
            body.put("successThreshold", successThreshold);
        }
        if (actionType != null) {
            body.put("actionType", actionType.toUpperCase(Locale.ROOT));
        }
        if (rollbackFailureRate != null || rollbackMinSample != null) {
            ObjectNode policy = body.putObject("rollbackPolicy");
            policy.put("failureRateThreshold", rollbackFailureRate == null ? 0.5 : rollbackFailureRate);
            policy.put("minSampleSize", rollbackMinSample == null ? 3 : rollbackMinSample);
        }
        if (startAt != null) {
            body.put("startAt", startAt);
        }
        if (waveTimeout != null) {
            body.put("waveTimeout", waveTimeout);
        }
        if (maintenanceWindow != null) {
            String[] parts = maintenanceWindow.split(",", -1);
            ObjectNode window = body.putObject("maintenanceWindow").put("schedule", parts[0].strip());
            if (parts.length > 1) {
                window.put("duration", parts[1].strip());
            }
            if (parts.length > 2) {
                window.put("timezone", parts[2].strip());
            }
        }
        if (actionDeadline != null) {
            body.put("actionDeadline", actionDeadline);
        }
        if (retries != null) {
            body.put("retries", retries);
        }
        if (dynamic) {
            body.put("dynamic", true);
        }
        return body;
    }
}
