package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.testsupport.TestKafka;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which files deploymentBase offers (issue 22), decided from the device's reported {@code update.delta}: a delta device
 * gets only the delta .swu where the release has one and everything otherwise; any other device only the full files.
 */
@QuarkusTest
class DeltaSelectionIT extends GatewayTestBase {

    @Test
    void givenADeltaDeviceAndAPlainDevice_whenTheReleaseHasADelta_thenTheDeltaOnlyAndTheFullOnly() {
        DdiDevice delta = device("zchunk");
        DdiDevice plain = device(null);
        DdiDevice other = device("bsdiff");
        ArtifactRef full = ref("fw.swu", null);
        ArtifactRef deltaSwu = ref("fw-delta.swu", "delta");
        ArtifactRef zck = ref("rootfs.ext4.zck", "delta-source");

        assertThat(offered(delta, List.of(full, deltaSwu, zck))).containsExactly("fw-delta.swu");
        assertThat(offered(plain, List.of(full, deltaSwu, zck))).containsExactly("fw.swu");
        assertThat(offered(other, List.of(full, deltaSwu, zck))).containsExactly("fw.swu");
    }

    @Test
    void givenADeltaDevice_whenTheReleaseHasNoDeltaFile_thenEverythingAndAPlainDeviceNoZck() {
        DdiDevice delta = device("zchunk");
        DdiDevice plain = device(null);
        ArtifactRef full = ref("fw.swu", null);
        ArtifactRef zck = ref("rootfs.ext4.zck", null); // no role said (an older event): a .zck all the same

        assertThat(offered(delta, List.of(full, zck))).containsExactly("fw.swu", "rootfs.ext4.zck");
        assertThat(offered(plain, List.of(full, zck))).containsExactly("fw.swu");
    }

    private static DdiDevice device(String updateDelta) {
        DdiDevice device = DdiDevice.random();
        device.poll();
        if (updateDelta != null) {
            device.request().contentType(ContentType.JSON)
                    .body(Map.of("mode", "merge", "data", Map.of("update.delta", updateDelta, "model", "gw-100")))
                    .put(device.path() + "/configData").then().statusCode(200);
        }
        return device;
    }

    /** The filenames deploymentBase offers the device for a new action with these artifacts. */
    private static List<String> offered(DdiDevice device, List<ArtifactRef> artifacts) {
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, artifacts));
        eventually().until(() -> device.offeredDeployment() != null);
        JsonPath base = device.deploymentBase(actionId);
        return base.getList("deployment.chunks.artifacts.flatten().filename", String.class);
    }

    private static ArtifactRef ref(String filename, String role) {
        long id = Commands.newArtifactId();
        return new ArtifactRef(id, "os", filename, FakeReleaseService.SIZE, "sha256-" + id, "sha1-" + id, "md5-" + id,
                role);
    }
}
