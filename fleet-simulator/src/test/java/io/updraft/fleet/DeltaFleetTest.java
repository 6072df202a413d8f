package io.updraft.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.updraft.fleet.FleetScenario.HardwareMix;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Simulated devices offered an image with its .zck over DDI: delta clients and devices that download in full. */
class DeltaFleetTest {
    private static final String DEVICE = "t-m-000";
    private ZchunkGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new ZchunkGateway(1 << 20, new int[] {10, 200});
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private Fleet fleet(double deltaShare, int maxRanges) {
        FleetScenario scenario = new FleetScenario(gateway.url(), "DEFAULT", "token", "t",
                List.of(new HardwareMix("m", "1", 1)), List.of(), Duration.ofMillis(50), Duration.ofMillis(300),
                ZchunkGateway.V1).withDelta(deltaShare, maxRanges);
        return new Fleet(scenario);
    }

    private List<String> finalFeedback() {
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.feedback.getOrDefault(DEVICE, List.of()).stream()
                .anyMatch(f -> f.startsWith("closed/")));
        return gateway.feedback.get(DEVICE).stream().filter(f -> f.startsWith("closed/")).toList();
    }

    @Test
    void aDeltaClientFetchesOnlyTheMissingChunksAndInstallsTheRebuiltImage() {
        try (Fleet fleet = fleet(1.0, 200).sourceImage(ZchunkGateway.V1, SourceImage.of(gateway.v1)).start()) {
            assertThat(finalFeedback()).singleElement().asString().startsWith("closed/success");
            await().atMost(Duration.ofSeconds(10)).until(() -> ZchunkGateway.V2.equals(
                    fleet.versionsByModel().get("m").keySet().iterator().next()));
            assertThat(fleet.deltaClients()).containsExactly(DEVICE);
            assertThat(gateway.attributes.get(DEVICE)).contains("\"update.delta\":\"zchunk\"");
            // only ranges of the .zck: the header and the missing chunks, never the whole image
            assertThat(gateway.rangeHeaders).hasSize(3).allMatch(Objects::nonNull);
            assertThat(fleet.bytesDownloadedByDevice()).containsEntry(DEVICE, gateway.artifactBytesServed.get());
            assertThat(gateway.artifactBytesServed.get()).isLessThan(gateway.v2.length / 4);
            FleetStats stats = fleet.stats();
            assertThat(stats.deltaInstalls()).isEqualTo(1);
            assertThat(stats.deltaBytesDownloaded()).isEqualTo(gateway.artifactBytesServed.get());
            assertThat(stats.deltaFullBytes()).isEqualTo(gateway.v2.length);
            assertThat(stats.deltaChunksFetched()).isPositive();
            assertThat(stats.deltaChunksReused()).isGreaterThan(stats.deltaChunksFetched());
            assertThat(fleet.summary()).contains("delta: installs=1");
        }
    }

    @Test
    void aCorruptedChunkFailsTheInstallAndIsReportedFailed() {
        // a chunk the device has to fetch: v1 has no chunk with its uncompressed checksum
        var v1 = SourceImage.of(gateway.v1).index();
        int fetched = gateway.header.dataChunks().stream()
                .filter(c -> !v1.containsKey(c.uncompressedChecksumHex())).findFirst().orElseThrow().number();
        gateway.corruptChunk(fetched);
        try (Fleet fleet = fleet(1.0, 200).sourceImage(ZchunkGateway.V1, SourceImage.of(gateway.v1)).start()) {
            List<String> closed = finalFeedback();
            assertThat(closed).singleElement().asString().startsWith("closed/failure")
                    .contains("chunk " + fetched).contains("checksum");
            assertThat(fleet.stats().installsFailed()).isEqualTo(1);
            assertThat(fleet.stats().deltaInstalls()).isZero();
            assertThat(fleet.versionsByModel().get("m")).containsOnlyKeys(ZchunkGateway.V1);
        }
    }

    @Test
    void aDeviceWithoutDeltaSupportDownloadsTheFullImageAndLeavesTheZckAlone() {
        try (Fleet fleet = fleet(0.0, 200).sourceImage(ZchunkGateway.V1, SourceImage.of(gateway.v1)).start()) {
            assertThat(finalFeedback()).singleElement().asString().startsWith("closed/success");
            assertThat(fleet.deltaClients()).isEmpty();
            assertThat(gateway.attributes.get(DEVICE)).doesNotContain("update.delta");
            assertThat(gateway.rangeHeaders).containsExactly((String) null);
            assertThat(gateway.artifactBytesServed.get()).isEqualTo(gateway.v2.length);
            assertThat(fleet.stats().deltaInstalls()).isZero();
        }
    }

    @Test
    void aDeltaClientWithoutTheImageOfItsVersionDownloadsInFull() {
        try (Fleet fleet = fleet(1.0, 200).start()) {
            assertThat(finalFeedback()).singleElement().asString().startsWith("closed/success");
            assertThat(gateway.attributes.get(DEVICE)).contains("\"update.delta\":\"zchunk\"");
            assertThat(gateway.rangeHeaders).containsExactly((String) null);
            assertThat(fleet.bytesDownloadedByDevice()).containsEntry(DEVICE, (long) gateway.v2.length);
        }
    }
}
