package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: an encoded slash in the tenant segment ({@code /DEFAULT%2Fx/controller/v1/…}) once skipped device
 * authentication, and every DDI endpoint answered an attacker without credentials. Each attack seen then, replayed
 * with every spelling of that path (and dot segments), must be refused and change nothing.
 */
@QuarkusTest
class DdiAuthBypassIT extends GatewayTestBase {
    /** Where {@code {controllerId}/…} is appended: tenant spellings with an encoded slash, and dot segments. */
    static final List<String> BYPASS_BASES = List.of(
            "/DEFAULT%2Fx/controller/v1/",
            "/%2FDEFAULT/controller/v1/",
            "/DEFAULT%2F/controller/v1/",
            "/default%2fx/controller/v1/",
            "/DEFAULT%5Cx/controller/v1/",
            "/x/../DEFAULT/controller/v1/",
            "/x/%2E%2E/DEFAULT/controller/v1/",
            "/DEFAULT/./controller/v1/",
            "/DEFAULT%252Fx/controller/v1/");

    @Inject
    EntityManager entityManager;

    private GatewayDatabase database;
    private DdiDevice victim;
    private long actionId;
    private ArtifactRef artifact;

    @BeforeEach
    void victimWithAPendingAction() {
        database = new GatewayDatabase(entityManager);
        victim = DdiDevice.random();
        DdiPollIT.provision(victim, "victim-token-" + victim.id());
        victim.poll();
        actionId = Commands.newActionId();
        artifact = Commands.artifact("os", "victim-fw.swu");
        TestKafka.send(Commands.install(victim.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
        eventually().until(() -> victim.offeredDeployment() != null);
    }

    @Test
    void givenNoCredentials_whenFirmwareIsDownloadedThroughABypassPath_thenRefused() {
        for (String base : BYPASS_BASES) {
            RawHttp.Answer answer = RawHttp.send("GET", base + victim.id() + "/softwaremodules/"
                    + artifact.artifactId() + "/artifacts/" + artifact.filename(), null, null);
            assertRefused(base, answer);
        }
    }

    @Test
    void givenNoCredentials_whenTheMd5SumIsFetchedThroughABypassPath_thenRefused() {
        for (String base : BYPASS_BASES) {
            RawHttp.Answer answer = RawHttp.send("GET", base + victim.id() + "/softwaremodules/"
                    + artifact.artifactId() + "/artifacts/" + artifact.filename() + ".MD5SUM", null, null);
            assertRefused(base, answer);
            assertThat(answer.body()).doesNotContain(artifact.md5());
        }
    }

    @Test
    void givenNoCredentials_whenAnotherDevicesConfigDataIsPutThroughABypassPath_thenRefusedAndAttributesUnchanged() {
        String attributesBefore = database.attributes(victim.id());
        long outboxBefore = database.outboxSequence();

        for (String base : BYPASS_BASES) {
            assertRefused(base, RawHttp.send("PUT", base + victim.id() + "/configData", null,
                    "{\"mode\":\"replace\",\"data\":{\"owner\":\"attacker\"}}"));
        }

        assertThat(database.attributes(victim.id())).isEqualTo(attributesBefore);
        assertThat(database.outboxSequence()).isEqualTo(outboxBefore);
        assertThat(victim.poll().getString("_links.configData.href")).as("still asks for the real attributes")
                .isNotNull();
    }

    @Test
    void givenNoCredentials_whenHealthIsPostedThroughABypassPath_thenRefusedAndNoTelemetry() {
        long outboxBefore = database.outboxSequence();

        for (String base : BYPASS_BASES) {
            assertRefused(base, RawHttp.send("POST", base + victim.id() + "/health", null,
                    "{\"bootOk\":false,\"crashCount\":99,\"appHealthy\":false}"));
        }

        assertThat(database.outboxSequence()).isEqualTo(outboxBefore);
    }

    @Test
    void givenNoCredentials_whenFeedbackFailsAnotherDevicesActionThroughABypassPath_thenRefusedAndTheActionGoesOn() {
        String statusBefore = database.actionStatus(actionId);
        long outboxBefore = database.outboxSequence();

        for (String base : BYPASS_BASES) {
            assertRefused(base, RawHttp.send("POST", base + victim.id() + "/deploymentBase/" + actionId + "/feedback",
                    null, "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"}}}"));
        }

        assertThat(database.actionStatus(actionId)).isEqualTo(statusBefore);
        assertThat(database.outboxSequence()).isEqualTo(outboxBefore);
        assertThat(victim.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }

    @Test
    void givenNoCredentials_whenInventedDevicesPollThroughABypassPath_thenRefusedAndNoDeviceIsCreated() {
        long outboxBefore = database.outboxSequence();

        for (String base : BYPASS_BASES) {
            String invented = DdiDevice.random().id();
            assertRefused(base, RawHttp.send("GET", base + invented, null, null));
            assertThat(database.deviceExists(invented)).as(base).isFalse();
        }

        assertThat(database.outboxSequence()).isEqualTo(outboxBefore);
    }

    @Test
    void givenNoCredentials_whenInstalledBaseIsPutThroughABypassPath_thenRefusedAndNothingReported() {
        long outboxBefore = database.outboxSequence();
        String invented = DdiDevice.random().id();

        for (String base : BYPASS_BASES) {
            assertRefused(base, RawHttp.send("PUT", base + victim.id() + "/installedBase", null,
                    "{\"version\":\"6.6.6\",\"releaseId\":\"rel-evil\"}"));
            assertRefused(base, RawHttp.send("PUT", base + invented + "/installedBase", null,
                    "{\"version\":\"6.6.6\"}"));
        }

        assertThat(database.outboxSequence()).isEqualTo(outboxBefore);
        assertThat(database.deviceExists(invented)).isFalse();
    }

    @Test
    void givenNoCredentials_whenTheDeploymentIsReadThroughABypassPath_thenRefusedAndNotMarkedRetrieved() {
        String statusBefore = database.actionStatus(actionId);

        for (String base : BYPASS_BASES) {
            assertRefused(base, RawHttp.send("GET", base + victim.id() + "/deploymentBase/" + actionId, null, null));
        }

        assertThat(database.actionStatus(actionId)).isEqualTo(statusBefore).isEqualTo("PENDING");
    }

    /** Refused means a 4xx problem document: 400 (path refused), 401 (no device) or 404 (no such tenant). */
    static void assertRefused(String base, RawHttp.Answer answer) {
        String body = answer.body().length() > 300 ? answer.body().substring(0, 300) + "…" : answer.body();
        assertThat(answer.status()).as(base + " → " + answer.status() + " " + body).isIn(400, 401, 404);
        assertThat(answer.contentType()).as(base).startsWith("application/problem+json");
    }
}
