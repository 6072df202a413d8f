package io.updraft.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.RollbackEvent.Evidence;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final Instant AT = Instant.parse("2026-11-27T12:00:00.123Z");
    private static final int V = UpdraftEvent.SCHEMA_VERSION;
    private static final ArtifactRef ARTIFACT = new ArtifactRef(7, "os", "img.swu", 13, "a".repeat(64), "b".repeat(40),
            "c".repeat(32));

    static List<UpdraftEvent> oneOfEach() {
        return List.of(
                new ReleaseEvent.ReleasePublished("e1", AT, V, "r1", "fw", "1.2.0", List.of(ARTIFACT),
                        List.of(new HardwareCompatibility("gw-100", "1.0"))),
                new ReleaseEvent.ReleaseMarkedStable("e2", AT, V, "r1"),
                new ReleaseEvent.ReleaseRevoked("e3", AT, V, "r1", "CVE"),
                new InstallRequested("e4", AT, V, "d1", 11, "ro1", 1, "gw-100:1.0", "r1", "fw", "1.2.0",
                        List.of(ARTIFACT), ActionType.TIMEFORCED, AT, false, AT.plusSeconds(86400),
                        new MaintenanceWindow("0 0 2 * * ?", "PT2H", "Europe/Berlin")),
                new InstallRequested("e4b", AT, V, "d1", 12, "ro1", 1, "gw-100:1.0", "r1", "fw", "1.2.0",
                        List.of(ARTIFACT), ActionType.FORCED, null, false, null, null, true),
                new DeviceCommand.CancelRequested("e5", AT, V, "d1", 11, "ro1", "superseded"),
                new DeviceReport.DeviceRegistered("e6", AT, V, "d1", "DEFAULT", Map.of("model", "gw-100")),
                new DeviceReport.DeviceAttributesUpdated("e7", AT, V, "d1", "merge", Map.of("revision", "1.0")),
                new DeviceReport.ActionProgressed("e8", AT, V, "d1", 11, "ro1", "gw-100:1.0", "proceeding", List.of("x")),
                new DeviceReport.ActionDenied("e8b", AT, V, "d1", 12, "ro1", "gw-100:1.0", 7, List.of("user said no")),
                new ActionFinished("e9", AT, V, "d1", 11, "ro1", 1, "gw-100:1.0", "r1", "1.2.0", false, Outcome.FAILURE,
                        List.of("boom")),
                new ActionFinished("e9b", AT, V, "d1", 12, "ro1", 1, "gw-100:1.0", "r1", "1.2.0", false,
                        Outcome.FAILURE, List.of("rolled back at boot"), true),
                new ActionFinished("e9c", AT, V, "d1", 13, "ro1", 1, "gw-100:1.0", "r1", "1.2.0", false,
                        Outcome.SUCCESS, List.of(), false, 123_456_789_012L),
                new DeviceReport.ActionCanceled("e10", AT, V, "d1", 11, "ro1", "gw-100:1.0"),
                new DeviceReport.ActionCanceled("e10b", AT, V, "d1", 11, "ro1", "gw-100:1.0", "alice",
                        "wrong image for this site"),
                new DeviceReport.ActionExpired("e23", AT, V, "d1", 11, "ro1", "gw-100:1.0"),
                new DeviceReport.InstalledVersionReported("e11", AT, V, "d1", "r1", "1.2.0"),
                new DeviceReport.DeviceSeen("e12", AT, V, "d1"),
                new DeviceTelemetry.HealthReported("e13", AT, V, "d1", true, 2, false, Map.of("cpu", 0.5)),
                new RolloutEvent.RolloutCreated("e14", AT, V, "ro1", "canary", "r1", "1.2.0", 2, 50,
                        List.of("gw-100:1.0"), new RollbackPolicy(0.5, 3)),
                new RolloutEvent.RolloutCreated("e14b", AT, V, "ro1", "full", "r1", "1.2.0", 2, 50,
                        List.of("gw-100:1.0"), new RollbackPolicy(0.5, 3,
                                new RolloutEvent.CountRule(0.5, 10, 3, Duration.ZERO),
                                new RolloutEvent.CountRule(0.2, 3, 3, Duration.ofMinutes(30)),
                                new RolloutEvent.DeviceHealthRule(0.3, null, 3, Duration.ZERO, 3,
                                        Duration.ofMinutes(10)),
                                new RolloutEvent.SilenceRule(0.3, null, 3, Duration.ZERO, Duration.ofMinutes(15)),
                                new RolloutEvent.RegressionRule(2.0, 0.1, 5, Duration.ofMinutes(5))),
                        Map.of("gw-100:1.0", 50)),
                new RolloutEvent.RolloutGroupStarted("e15", AT, V, "ro1", 1, 10),
                new RolloutEvent.RolloutPaused("e16", AT, V, "ro1", "errors"),
                new RolloutEvent.RolloutResumed("e17", AT, V, "ro1"),
                new RolloutEvent.RolloutCompleted("e18", AT, V, "ro1", 45, 5, List.of("gw-200:1.0")),
                new RolloutEvent.RolloutAborted("e19", AT, V, "ro1", "operator"),
                new RolloutEvent.RolloutRolledBack("e20", AT, V, "ro1", "gw-200:1.0", 2, "failure rate"),
                new RolloutEvent.RolloutAwaitingApproval("e24", AT, V, "ro1", 2, 40),
                new RolloutEvent.RolloutApproved("e25", AT, V, "ro1", 2, "alice"),
                new RolloutEvent.RolloutScheduled("e26", AT, V, "ro1", AT.plusSeconds(3600)),
                new RolloutEvent.RolloutStarted("e27", AT, V, "ro1"),
                new RolloutEvent.RolloutWaveTimedOut("e28", AT, V, "ro1", 1, 7),
                new RolloutEvent.RolloutActionRetried("e29", AT, V, "ro1", "d1", 1, 11, 12, 2),
                new RollbackTriggered("e21", AT, V, "ro1", "gw-200:1.0", "failure rate 0.6 >= 0.5",
                        new Evidence(2, 3, 0.6, 0.5, 3, AT, AT)),
                new RollbackTriggered("e21b", AT, V, "ro1", "gw-200:1.0", "4 of 5 devices unhealthy",
                        new Evidence(5, 0, 0.0, 0.5, 3, AT, AT, "unhealthyDevices", 4, 5, 0.8, 0.3)),
                new FleetHealthEvent.HealthWindowClosed("e22", AT, V, "ro1", AT, AT, List.of(
                        new FleetHealthEvent.CohortHealth("gw-100:1.0", 10, 0, 0.0, 10, 0, 0, false))),
                new TenantEvent.TenantDefined("e24", AT, V, "ACME", "Acme Corp.", AT, 2,
                        new TenantEvent.Quotas(10_000L, 5_000_000_000L, 3, null)));
    }

    @Test
    void everyEventSurvivesTheRoundTripThroughItsContract() {
        for (UpdraftEvent event : oneOfEach()) {
            String json = EventJson.write(event);
            assertThat(json).contains("\"type\":\"" + event.type() + "\"");
            UpdraftEvent back = EventJson.read(json, contractOf(event));
            assertThat(back).as(event.type()).isEqualTo(event);
        }
    }

    @Test
    void everyContractSubtypeIsCoveredByTheRoundTrip() {
        List<String> covered = oneOfEach().stream().map(UpdraftEvent::type).toList();
        for (EventCatalog.Channel channel : EventCatalog.channels()) {
            for (Class<?> event : channel.events()) {
                assertThat(covered).contains(event.getSimpleName());
            }
        }
    }

    @Test
    void keysFollowTheTopicRules() {
        for (UpdraftEvent event : oneOfEach()) {
            String expected = switch (event.topic()) {
                case Topics.DEVICE_COMMANDS, Topics.DEVICE_REPORTS, Topics.DEVICE_TELEMETRY -> "d1";
                case Topics.RELEASES -> "r1";
                case Topics.TENANTS -> "ACME";
                default -> "ro1";
            };
            assertThat(event.key()).as(event.type()).isEqualTo(expected);
        }
    }

    @Test
    void anActionCanceledWrittenBeforeItsOperatorFieldsReadsWithoutThem() {
        String json = "{\"type\":\"ActionCanceled\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"d9\",\"actionId\":4,\"rolloutId\":\"r\",\"cohort\":\"c\"}";
        DeviceReport.ActionCanceled old = (DeviceReport.ActionCanceled) EventJson.read(json, DeviceReport.class);
        assertThat(old.actionId()).isEqualTo(4);
        assertThat(old.canceledBy()).isNull();
        assertThat(old.reason()).isNull();
    }

    @Test
    void anInstallRequestedWrittenBeforeConfirmationRequiredReadsAsNotRequired() {
        String json = "{\"type\":\"InstallRequested\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"d9\",\"actionId\":4,\"rolloutId\":\"r\",\"wave\":1,"
                + "\"cohort\":\"c\",\"releaseId\":\"r1\",\"releaseName\":\"fw\",\"version\":\"1.0.0\","
                + "\"artifacts\":[],\"actionType\":\"FORCED\",\"rollback\":false}";
        InstallRequested old = (InstallRequested) EventJson.read(json, DeviceCommand.class);
        assertThat(old.actionId()).isEqualTo(4);
        assertThat(old.confirmationRequired()).isFalse();
        InstallRequested required = (InstallRequested) EventJson.read(
                json.replace("\"rollback\":false", "\"rollback\":false,\"confirmationRequired\":true"),
                DeviceCommand.class);
        assertThat(required.confirmationRequired()).isTrue();
    }

    @Test
    void aConfirmationDeadlineTravelsAndIsAbsentFromOlderEvents() {
        String json = "{\"type\":\"InstallRequested\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"d9\",\"actionId\":4,\"rolloutId\":\"r\",\"wave\":1,"
                + "\"cohort\":\"c\",\"releaseId\":\"r1\",\"releaseName\":\"fw\",\"version\":\"1.0.0\","
                + "\"artifacts\":[],\"actionType\":\"FORCED\",\"rollback\":false,\"confirmationRequired\":true}";
        assertThat(((InstallRequested) EventJson.read(json, DeviceCommand.class)).confirmBy()).isNull();
        InstallRequested withDeadline = (InstallRequested) EventJson.read(json.replace("\"confirmationRequired\":true",
                "\"confirmationRequired\":true,\"confirmBy\":\"2026-11-30T12:00:00Z\""), DeviceCommand.class);
        assertThat(withDeadline.confirmBy()).isEqualTo(Instant.parse("2026-11-30T12:00:00Z"));
        assertThat(EventJson.read(EventJson.write(withDeadline), DeviceCommand.class)).isEqualTo(withDeadline);

        String expired = "{\"type\":\"ActionExpired\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"d9\",\"actionId\":4,\"rolloutId\":\"r\",\"cohort\":\"c\"}";
        DeviceReport.ActionExpired old = (DeviceReport.ActionExpired) EventJson.read(expired, DeviceReport.class);
        assertThat(old.reason()).isNull();
        assertThat(old.confirmationDeadline()).isFalse();
        DeviceReport.ActionExpired unanswered = (DeviceReport.ActionExpired) EventJson.read(
                expired.replace("\"cohort\":\"c\"", "\"cohort\":\"c\",\"reason\":\"confirmation-deadline\""),
                DeviceReport.class);
        assertThat(unanswered.confirmationDeadline()).isTrue();
    }

    @Test
    void anActionFinishedWrittenBeforeBytesServedReadsWithoutIt() {
        String json = "{\"type\":\"ActionFinished\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"d9\",\"actionId\":4,\"rolloutId\":\"r\",\"wave\":1,"
                + "\"cohort\":\"c\",\"releaseId\":\"r1\",\"version\":\"1.0.0\",\"rollback\":false,"
                + "\"outcome\":\"SUCCESS\",\"details\":[],\"afterInstalled\":false}";
        DeviceReport.ActionFinished old = (DeviceReport.ActionFinished) EventJson.read(json, DeviceReport.class);
        assertThat(old.actionId()).isEqualTo(4);
        assertThat(old.bytesServed()).isNull();
        assertThat(old.withBytesServed(77L).bytesServed()).isEqualTo(77L);
    }

    @Test
    void anArtifactWrittenBeforeItsRoleReadsWithoutItAndARoleSurvivesTheRoundTrip() {
        String old = "{\"type\":\"ReleasePublished\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"releaseId\":\"r1\",\"name\":\"fw\",\"version\":\"1.0.0\",\"hardware\":[],"
                + "\"artifacts\":[{\"artifactId\":7,\"part\":\"os\",\"filename\":\"img.swu\",\"size\":13}]}";
        ArtifactRef read = ((ReleaseEvent.ReleasePublished) EventJson.read(old, ReleaseEvent.class)).artifacts().get(0);
        assertThat(read.role()).isNull();
        assertThat(read.effectiveRole()).isEqualTo(ArtifactRef.FULL);
        assertThat(EventJson.write(new ReleaseEvent.ReleasePublished("e", AT, V, "r1", "fw", "1.0.0",
                List.of(ARTIFACT), List.of()))).doesNotContain("role");

        ArtifactRef delta = new ArtifactRef(8, "os", "img-delta.swu", 13, "a".repeat(64), null, null, "delta");
        ArtifactRef zck = new ArtifactRef(9, "os", "img.ZCK", 13, "a".repeat(64), null, null, "full");
        String json = EventJson.write(new ReleaseEvent.ReleasePublished("e", AT, V, "r1", "fw", "1.0.0",
                List.of(delta, zck), List.of()));
        List<ArtifactRef> back = ((ReleaseEvent.ReleasePublished) EventJson.read(json, ReleaseEvent.class))
                .artifacts();
        assertThat(back).containsExactly(delta, zck);
        assertThat(back).extracting(ArtifactRef::effectiveRole).containsExactly("delta", "delta-source");
    }

    @Test
    void readersIgnoreFieldsTheyDoNotKnow() {
        String json = "{\"type\":\"DeviceSeen\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"d9\",\"signalStrength\":-70}";
        DeviceReport report = EventJson.read(json, DeviceReport.class);
        assertThat(report).isInstanceOf(DeviceReport.DeviceSeen.class);
        assertThat(report.deviceId()).isEqualTo("d9");
    }

    @Test
    void malformedRecordsAreRefusedWithAReason() {
        assertThatThrownBy(() -> EventJson.read("{not json", DeviceReport.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not a DeviceReport");
        assertThatThrownBy(() -> EventJson.read("{\"type\":\"Nope\",\"eventId\":\"x\"}", DeviceReport.class))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.read("", DeviceReport.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> EventJson.read("{\"type\":\"DeviceSeen\",\"deviceId\":\"d\"}", DeviceReport.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("without eventId");
        assertThatThrownBy(() -> EventJson.read("{\"type\":\"DeviceSeen\",\"eventId\":\"e\"}", DeviceReport.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("without its key");
        // an event of another topic is not a device report
        String release = EventJson.write(oneOfEach().get(0));
        assertThatThrownBy(() -> EventJson.read(release, DeviceReport.class)).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void unsupportedSchemaVersionsAreRefused() {
        String template = "{\"type\":\"DeviceSeen\",\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "%s\"deviceId\":\"d9\"}";
        assertThat(EventJson.read(template.formatted("\"schemaVersion\":1,"), DeviceReport.class).deviceId())
                .isEqualTo("d9");
        for (String version : new String[] { "\"schemaVersion\":999,", "\"schemaVersion\":2,",
                "\"schemaVersion\":0,", "\"schemaVersion\":-1,", "" }) {
            assertThatThrownBy(() -> EventJson.read(template.formatted(version), DeviceReport.class))
                    .as(version).isInstanceOf(MalformedEventException.class)
                    .hasMessageContaining("unsupported schemaVersion");
        }
    }

    @Test
    void keysAndEventIdsThatAreNotIdentifiersAreRefused() {
        String template = "{\"type\":\"DeviceSeen\",\"eventId\":\"%s\",\"occurredAt\":\"2026-11-27T12:00:00Z\","
                + "\"schemaVersion\":1,\"deviceId\":\"%s\"}";
        for (String deviceId : new String[] { "d\\u0000", "a/b", "a b", "x".repeat(201), "d\\r\\n" }) {
            assertThatThrownBy(() -> EventJson.read(template.formatted("e1", deviceId), DeviceReport.class))
                    .as(deviceId).isInstanceOf(MalformedEventException.class).hasMessageContaining("key field");
        }
        assertThatThrownBy(() -> EventJson.read(template.formatted("e".repeat(65), "d1"), DeviceReport.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("eventId");
        assertThat(EventJson.read(template.formatted("3f2c7b1e-5a4d-4c1b-9a4e-0d6f2b8c9e11", "00:11:22:aa:bb:cc"),
                DeviceReport.class).deviceId()).isEqualTo("00:11:22:aa:bb:cc");
    }

    @SuppressWarnings("unchecked")
    private static Class<UpdraftEvent> contractOf(UpdraftEvent event) {
        for (Class<?> candidate : event.getClass().getInterfaces()) {
            if (UpdraftEvent.class.isAssignableFrom(candidate)) {
                return (Class<UpdraftEvent>) candidate;
            }
        }
        throw new IllegalStateException();
    }
}
