package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        JsonNode body = UpdraftApi.tree(preview.rollout.body(null));

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
        assertThat(body.path("rollbackPolicy").has("minSampleSize")).isFalse(); // the service's default
        assertThat(body.path("startAt").asText()).isEqualTo("2026-11-28T02:00:00Z");
        assertThat(body.path("waveTimeout").asText()).isEqualTo("PT2H");
        assertThat(body.path("maintenanceWindow").toString())
                .isEqualTo("{\"schedule\":\"0 0 2 ? * *\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Berlin\"}");
        assertThat(body.path("actionDeadline").asText()).isEqualTo("PT48H");
        assertThat(body.path("retries").asInt()).isEqualTo(2);
        assertThat(body.path("dynamic").asBoolean()).isTrue();
    }

    @Test
    void givenACronWithCommas_whenParsed_thenTheDurationFromTheRightEndsIt() {
        assertThat(window("0 0 2 ? * MON,WED,PT2H,Europe/Berlin"))
                .isEqualTo("{\"schedule\":\"0 0 2 ? * MON,WED\",\"duration\":\"PT2H\",\"timezone\":\"Europe/Berlin\"}");
        assertThat(window("0 0 1,13 ? * MON,WED,FRI, PT30M"))
                .isEqualTo("{\"schedule\":\"0 0 1,13 ? * MON,WED,FRI\",\"duration\":\"PT30M\"}");
        // as before: no comma in the cron, with and without a zone
        assertThat(window("0 0 2 ? * *,PT2H")).isEqualTo("{\"schedule\":\"0 0 2 ? * *\",\"duration\":\"PT2H\"}");
        assertThat(window("0 0 2 ? * *,PT2H,PST8PDT"))
                .isEqualTo("{\"schedule\":\"0 0 2 ? * *\",\"duration\":\"PT2H\",\"timezone\":\"PST8PDT\"}");
        // no duration where it belongs: the first comma ends the cron and the service names what is wrong
        assertThat(window("0 0 2 ? * MON,WED")).isEqualTo("{\"schedule\":\"0 0 2 ? * MON\",\"duration\":\"WED\"}");
        assertThat(window("0 0 2 ? * *")).isEqualTo("{\"schedule\":\"0 0 2 ? * *\"}");
    }

    private static String window(String option) {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--maintenance-window", option);
        return UpdraftApi.tree(preview.rollout.body(null)).path("maintenanceWindow").toString();
    }

    @Test
    void givenAHealthGateAndARollbackRelease_whenParsed_thenTheBodyCarriesThemUnderTheServiceFieldNames() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--rollback-release", "rel-0", "--health-gate",
                "maxFailureRate=0.05, maxunhealthyratio=0.1,maxCrashesPerReport=2,minReports=20,requireWindow");

        JsonNode body = UpdraftApi.tree(preview.rollout.body(null));

        assertThat(body.path("rollbackRelease").asText()).isEqualTo("rel-0");
        assertThat(body.path("healthGate").toString()).isEqualTo("{\"maxFailureRate\":0.05,\"maxUnhealthyRatio\":0.1,"
                + "\"maxCrashesPerReport\":2.0,\"minReports\":20,\"requireWindow\":true}");
    }

    @Test
    void givenAMaximumAndARamp_whenParsed_thenTheBodyCarriesTheRolloutRateUnderAwsFieldNames() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--max-per-minute", "1000", "--ramp",
                "50, 2.5, Succeeded=200");

        assertThat(UpdraftApi.tree(preview.rollout.body(null)).path("rolloutRate").toString()).isEqualTo("{\"maximumPerMinute\":1000,"
                + "\"exponentialRate\":{\"baseRatePerMinute\":50,\"incrementFactor\":2.5,"
                + "\"rateIncreaseCriteria\":{\"numberOfSucceededThings\":200}}}");

        RolloutCommands.Preview maximumOnly = new RolloutCommands.Preview();
        new CommandLine(maximumOnly).parseArgs("--release", "rel-1", "--max-per-minute", "60");
        assertThat(UpdraftApi.tree(maximumOnly.rollout.body(null)).path("rolloutRate").toString())
                .isEqualTo("{\"maximumPerMinute\":60}");
    }

    @Test
    void givenABadRamp_whenParsed_thenItIsAUsageErrorSayingTheForm() {
        for (String bad : new String[] {"50,2", "50,2,sent=10", "fast,2,notified=10", "50,2,notified"}) {
            assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "rel-1",
                    "--ramp", bad))
                    .as(bad).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--ramp");
        }
    }

    @Test
    void givenRequireWindowFalseOrABoundAlone_whenParsed_thenOnlyThoseAreSent() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--health-gate", "requireWindow=false,minReports=5");

        // field order is not part of the contract: compared as JSON objects
        assertThat(UpdraftApi.tree(preview.rollout.body(null)).path("healthGate"))
                .isEqualTo(UpdraftApi.parse("{\"requireWindow\":false,\"minReports\":5}"));
    }

    @Test
    void givenAnUnknownBoundOrAValueThatIsNoNumber_whenParsed_thenItIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "rel-1",
                "--health-gate", "maxFailRate=0.1"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("maxFailRate");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "rel-1",
                "--health-gate", "minReports=many"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("minReports must be a number");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "rel-1",
                "--health-gate", "maxFailureRate"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("needs a value");
    }

    @Test
    void givenRollbackRulesAndAnErrorSample_whenParsed_thenEachRuleIsAnObjectOfThePolicy() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--error-min-sample", "20",
                "--rollback-min-sample", "100", "--rollback-rule",
                "unhealthyDevices:rate=0.3,crashes=3,crashWindow=PT10M", "--rollback-rule", "bootFailures:off",
                "--rollback-rule", "silentDevices:count=5,silence=PT20M", "--rollback-rule",
                "crashRegression:factor=3,window=PT1H");

        JsonNode body = UpdraftApi.tree(preview.rollout.body(null));

        assertThat(body.path("errorMinSample").asInt()).isEqualTo(20);
        assertThat(body.path("rollbackPolicy")).isEqualTo(UpdraftApi.parse("{\"minSampleSize\":100,"
                + "\"unhealthyDevices\":{\"rate\":0.3,\"crashes\":3,\"crashWindow\":\"PT10M\"},"
                + "\"bootFailures\":{\"off\":true},\"silentDevices\":{\"count\":5,\"silence\":\"PT20M\"},"
                + "\"crashRegression\":{\"factor\":3.0,\"window\":\"PT1H\"}}"));
    }

    @Test
    void givenABadRollbackRule_whenParsed_thenItIsAUsageErrorNamingIt() {
        for (String[] bad : new String[][] { { "noSuchRule:rate=0.1", "unknown rollback rule" },
                { "bootFailures:rat=0.1", "unknown key 'rat'" }, { "bootFailures:rate=lots", "a number" },
                { "silentDevices:silence=10m", "ISO-8601" }, { "failedInstalls", "needs KEY=VALUE" },
                { "crashRegression:off", "cannot be switched off" }, { "bootFailures:count=", "needs a value" } }) {
            assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "rel-1",
                    "--rollback-rule", bad[0]))
                    .as(bad[0]).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(bad[1]);
        }
        RolloutCommands.Preview twice = new RolloutCommands.Preview();
        new CommandLine(twice).parseArgs("--release", "rel-1", "--rollback-rule", "bootFailures:off",
                "--rollback-rule", "bootFailures:count=2");
        assertThatThrownBy(() -> twice.rollout.body(null)).hasMessageContaining("given twice");
    }

    @Test
    void givenOnlyARelease_whenParsed_thenTheServiceDefaultsEverythingElse() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1");

        assertThat(UpdraftApi.json(preview.rollout.body(null))).isEqualTo("{\"releaseId\":\"rel-1\"}");
    }

    @Test
    void givenGroups_whenParsed_thenEachIsAWaveObjectWithNameFilterPercentAndOptions() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--error-action", "abort",
                "--group", "lab:region == \"lab\"",
                "--group", "eu:region == \"eu\" and site == \"a:b\":50%:approval:error=0.05:action=pause",
                "--group", "canary:10%:success=0.9",
                "--group", "rest");

        JsonNode body = UpdraftApi.tree(preview.rollout.body(null));

        assertThat(body.path("errorAction").asText()).isEqualTo("ABORT");
        assertThat(body.path("waves").toString()).isEqualTo("["
                + "{\"name\":\"lab\",\"filter\":\"region == \\\"lab\\\"\"},"
                + "{\"name\":\"eu\",\"filter\":\"region == \\\"eu\\\" and site == \\\"a:b\\\"\",\"percent\":50,"
                + "\"approval\":true,\"errorThreshold\":0.05,\"errorAction\":\"PAUSE\"},"
                + "{\"name\":\"canary\",\"percent\":10,\"successThreshold\":0.9},"
                + "{\"name\":\"rest\"}]");
    }

    @Test
    void givenWavesWithTheirOwnThresholds_whenParsed_thenPlainAndDetailedWavesAreObjects() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "rel-1", "--wave", "10:success=0.9:error=0.05:action=ABORT",
                "--wave", "50%:approval", "--wave", "100");

        assertThat(UpdraftApi.tree(preview.rollout.body(null)).path("waves").toString()).isEqualTo("["
                + "{\"percent\":10,\"successThreshold\":0.9,\"errorThreshold\":0.05,\"errorAction\":\"ABORT\"},"
                + "{\"percent\":50,\"approval\":true},{\"percent\":100}]");
    }

    @Test
    void givenBadWaveOrGroupOptions_whenParsed_thenItIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "r",
                "--error-action", "explode")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("pause or abort");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "r",
                "--wave", "10:error=lots")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "r",
                "--wave", "10:speed=fast")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown wave option 'speed=fast'");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "r",
                "--wave", "half")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("cumulative percentage");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "r",
                "--group", ":region == \"eu\"")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> new CommandLine(new RolloutCommands.Preview()).parseArgs("--release", "r",
                "--group", "eu:region == \"eu\":error=2")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("between 0 and 1");
    }

    @Test
    void givenWavesTwoWays_whenTheBodyIsBuilt_thenItIsRefused() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "r", "--waves", "10,100", "--group", "rest");

        assertThatThrownBy(() -> preview.rollout.body(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one way");
    }

    @Test
    void givenAFilterThatLooksLikeAnOptionWord_whenParsed_thenItStaysTheFilter() {
        RolloutCommands.Preview preview = new RolloutCommands.Preview();
        new CommandLine(preview).parseArgs("--release", "r", "--group", "ok:success == \"1\"");

        assertThat(UpdraftApi.tree(preview.rollout.body(null)).path("waves").toString())
                .isEqualTo("[{\"name\":\"ok\",\"filter\":\"success == \\\"1\\\"\"}]");
    }
}
