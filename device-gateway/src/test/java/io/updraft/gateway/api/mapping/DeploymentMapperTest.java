package io.updraft.gateway.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.MaintenanceWindow;
import io.updraft.gateway.api.ddi.DdiDeploymentBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentMapperTest {
    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");
    private static final DdiLinks LINKS = DdiLinks.of("http://gw:8083/", "DEFAULT", "dev-1");

    @Test
    void givenEachActionType_whenMapped_thenHandlingAsHawkbit() {
        assertThat(handling(ActionType.FORCED, null)).containsExactly("forced", "forced");
        assertThat(handling(ActionType.SOFT, null)).containsExactly("attempt", "attempt");
        assertThat(handling(ActionType.DOWNLOAD_ONLY, null)).containsExactly("forced", "skip");
        assertThat(handling(ActionType.TIMEFORCED, NOW.plus(Duration.ofSeconds(1)))).containsExactly("attempt", "attempt");
        assertThat(handling(ActionType.TIMEFORCED, NOW)).containsExactly("forced", "forced");
        assertThat(handling(ActionType.TIMEFORCED, null)).containsExactly("attempt", "attempt");
    }

    @Test
    void givenArtifactsOfTwoParts_whenMapped_thenOneChunkPerPartInFirstSeenOrder() {
        InstallRequested command = command(ActionType.FORCED, null, List.of(
                new ArtifactRef(1, "os", "a.swu", 10, "s256", "s1", "m5"),
                new ArtifactRef(2, "app", "b.swu", 20, "s256b", "s1b", "m5b"),
                new ArtifactRef(3, "os", "c.swu", 30, "s256c", "s1c", "m5c")));

        DdiDeploymentBase base = DeploymentMapper.toDeploymentBase(command, LINKS, NOW);

        assertThat(base.id()).isEqualTo("42");
        assertThat(base.deployment().chunks()).extracting(DdiDeploymentBase.Chunk::part).containsExactly("os", "app");
        assertThat(base.deployment().chunks().get(0).artifacts()).extracting(DdiDeploymentBase.DdiArtifact::filename)
                .containsExactly("a.swu", "c.swu");
        DdiDeploymentBase.DdiArtifact first = base.deployment().chunks().get(0).artifacts().get(0);
        assertThat(first.links().get("download").href())
                .isEqualTo("http://gw:8083/DEFAULT/controller/v1/dev-1/softwaremodules/1/artifacts/a.swu");
        assertThat(first.links().get("md5sum-http").href()).endsWith("/softwaremodules/1/artifacts/a.swu.MD5SUM");
        assertThat(first.links()).containsOnlyKeys("download", "download-http", "md5sum", "md5sum-http");
    }

    @Test
    void givenRoles_whenMappedForAPlainOrADeltaDevice_thenOnlyTheOfferedFilesAndNoEmptyChunk() {
        InstallRequested command = command(ActionType.FORCED, null, List.of(
                new ArtifactRef(1, "os", "a.swu", 10, "s256", "s1", "m5"),
                new ArtifactRef(2, "os", "a-delta.swu", 10, "s256b", "s1b", "m5b", "delta"),
                new ArtifactRef(3, "os", "a.img.zck", 10, "s256c", "s1c", "m5c"),
                new ArtifactRef(4, "app", "b-delta.swu", 10, "s256d", "s1d", "m5d", "delta")));

        DdiDeploymentBase plain = DeploymentMapper.toDeploymentBase(command, LINKS, NOW, false);
        DdiDeploymentBase delta = DeploymentMapper.toDeploymentBase(command, LINKS, NOW, true);

        assertThat(plain.deployment().chunks()).extracting(DdiDeploymentBase.Chunk::part).containsExactly("os");
        assertThat(plain.deployment().chunks().get(0).artifacts()).extracting(DdiDeploymentBase.DdiArtifact::filename)
                .containsExactly("a.swu");
        assertThat(delta.deployment().chunks()).flatExtracting(DdiDeploymentBase.Chunk::artifacts)
                .extracting(DdiDeploymentBase.DdiArtifact::filename).containsExactly("a-delta.swu", "b-delta.swu");
    }

    @Test
    void givenMaintenanceWindow_whenOpenOrClosed_thenAvailableOrUnavailableWithUpdateSkippedWhileClosed() {
        // 14:00-16:00 UTC daily; NOW is 15:00
        MaintenanceWindow afternoon = new MaintenanceWindow("0 0 14 * * ?", "PT2H", "UTC");
        MaintenanceWindow morning = new MaintenanceWindow("0 0 8 * * ?", "PT2H", "UTC");

        DdiDeploymentBase open = DeploymentMapper.toDeploymentBase(windowed(ActionType.FORCED, afternoon), LINKS, NOW);
        DdiDeploymentBase closed = DeploymentMapper.toDeploymentBase(windowed(ActionType.FORCED, morning), LINKS, NOW);
        DdiDeploymentBase softClosed = DeploymentMapper.toDeploymentBase(windowed(ActionType.SOFT, morning), LINKS, NOW);
        DdiDeploymentBase none = DeploymentMapper.toDeploymentBase(command(ActionType.FORCED, null, List.of()), LINKS, NOW);

        assertThat(open.deployment()).extracting("download", "update", "maintenanceWindow")
                .containsExactly("forced", "forced", "available");
        assertThat(closed.deployment()).extracting("download", "update", "maintenanceWindow")
                .containsExactly("forced", "skip", "unavailable");
        assertThat(softClosed.deployment()).extracting("download", "update", "maintenanceWindow")
                .containsExactly("attempt", "skip", "unavailable");
        assertThat(none.deployment().maintenanceWindow()).isNull();
    }

    @Test
    void givenFinishedAction_whenMappedAsInstalledBase_thenSameShapeWithFinishedHistory() {
        DdiDeploymentBase installed = DeploymentMapper.toInstalledBase(command(ActionType.SOFT, null, List.of(
                new ArtifactRef(1, "os", "a.swu", 10, "s256", "s1", "m5"))), LINKS, NOW, false);

        assertThat(installed.id()).isEqualTo("42");
        assertThat(installed.actionHistory().status()).isEqualTo("FINISHED");
        assertThat(installed.deployment().chunks()).hasSize(1);
    }

    private static InstallRequested windowed(ActionType type, MaintenanceWindow window) {
        return new InstallRequested("e1", NOW, 1, "dev-1", 42, "r1", 1, "board:1", "rel-1", "fw", "1.1.0", List.of(),
                type, null, false, null, window);
    }

    private static String[] handling(ActionType type, Instant deadline) {
        return DeploymentMapper.handling(command(type, deadline, List.of()), NOW);
    }

    private static InstallRequested command(ActionType type, Instant deadline, List<ArtifactRef> artifacts) {
        return new InstallRequested("e1", NOW, 1, "dev-1", 42, "r1", 1, "board:1", "rel-1", "fw", "1.1.0", artifacts,
                type, deadline, false, null, null);
    }
}
