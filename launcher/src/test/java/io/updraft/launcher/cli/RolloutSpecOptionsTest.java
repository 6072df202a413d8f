package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options {@code rollout create} and {@code rollout preview} share become the request body the service reads. */
class RolloutSpecOptionsTest {

    @Test
    void givenEveryOption_whenParsed_thenTheBodyCarriesEachUnderTheServiceFieldName() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--waves", "10,50,100", "--target", "site=lab",
                "--filter", "model == \"gw-200\"", "--approval", "before_later_waves", "--canary-per-cohort", "2",
                "--cohort-by", "region", "--soak", "PT5M", "--error-threshold", "0.1", "--action-type", "soft",
                "--rollback-failure-rate", "0.3", "--start-at", "2026-11-28T02:00:00Z", "--wave-timeout", "PT2H",
                "--maintenance-window", "0 0 2 ? * *, PT2H, Europe/Berlin", "--action-deadline", "PT48H",
                "--retries", "2", "--dynamic");

        JsonNode body = UpdraftApi.parse(preview.rollout.body(null).toString());

        assertThat(body.path("releaseId").asText()).isEqualTo("rel-1");
        assertThat(body.path("waves").toString()).isEqualTo("[10,50,100]");
        assertThat(body.path("target").path("site").asText()).isEqualTo("lab");
        assertThat(body.path("filter").asText()).isEqualTo("model == \"gw-200\"");
        assertThat(body.path("approval").asText()).isEqualTo("BEFORE_LATER_WAVES");
        assertThat(body.path("canaryPerCohort").asInt()).isEqualTo(2);
        assertThat(body.path("cohortBy").toString()).isEqualTo("[\"region\"]");
        assertThat(body.path("soakTime").asText()).isEqualTo("PT5M");
        assertThat(body.path("errorThreshold").asDouble()).isEqualTo(0.1);
        assertThat(body.path("actionType").asText()).isEqualTo("SOFT");
        assertThat(body.path("rollbackPolicy").path("failureRateThreshold").asDouble()).isEqualTo(0.3);
        assertThat(body.path("rollbackPolicy").path("minSampleSize").asInt()).isEqualTo(3);
        assertThat(body.path("startAt").asText()).isEqualTo("2026-11-28T02:00:00Z");
        assertThat(body.path("waveTimeout").asText()).isEqualTo("PT2H");
        assertThat(body.path("maintenanceWindow").toString())
                .isEqualTo("{\"schedule\":\"0 0 2 ? * *\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Berlin\"}");
        assertThat(body.path("actionDeadline").asText()).isEqualTo("PT48H");
        assertThat(body.path("retries").asInt()).isEqualTo(2);
        assertThat(body.path("dynamic").asBoolean()).isTrue();
    }

    @Test
    void givenOnlyARelease_whenParsed_thenTheServiceDefaultsEverythingElse() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1");

        assertThat(preview.rollout.body(null).toString()).isEqualTo("{\"releaseId\":\"rel-1\"}");
    }
}
