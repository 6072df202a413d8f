package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.bench.ProgressChart.Marker;
import io.updraft.bench.ProgressChart.Point;
import io.updraft.bench.ProgressChart.Series;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ProgressChartTest {
    private final List<Series> waves = List.of(
            new Series("wave 1 (10 %)", List.of(new Point(0, 0), new Point(10, 500), new Point(20, 1000))),
            new Series("wave 2 (30 %)", List.of(new Point(0, 0), new Point(20, 0), new Point(40, 2000))));

    @Test
    void isWellFormedSvgWithOneLineAndLegendEntryPerSeries() throws Exception {
        Document svg = parse(ProgressChart.svg("Rollout <progress> & more", "seconds", "devices", waves,
                List.of(new Marker(15, "rollback gw-200:1.0"))));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList lines = svg.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(2);
        assertThat(((Element) lines.item(0)).getAttribute("points").split(" ")).hasSize(3);
        assertThat(text(svg)).contains("Rollout <progress> & more", "wave 1 (10 %)", "wave 2 (30 %)",
                "rollback gw-200:1.0");
    }

    @Test
    void theHighestPointTouchesTheTopOfTheScaleAndZeroTheBottom() throws Exception {
        // y axis: max 2,000 → ticks every 500 up to 2,000; x: max 40 → every 10 up to 40
        Document svg = parse(ProgressChart.svg("t", "x", "y", waves, List.of()));
        String[] wave2 = ((Element) svg.getElementsByTagName("polyline").item(1)).getAttribute("points").split(" ");

        int plotHeight = ProgressChart.HEIGHT - ProgressChart.TOP - ProgressChart.BOTTOM;
        int plotWidth = ProgressChart.WIDTH - ProgressChart.LEFT - ProgressChart.RIGHT;
        assertThat(wave2[0]).isEqualTo(ProgressChart.LEFT + ".0," + (ProgressChart.TOP + plotHeight) + ".0");
        assertThat(wave2[2]).isEqualTo((ProgressChart.LEFT + plotWidth) + ".0," + ProgressChart.TOP + ".0");
        assertThat(text(svg)).contains("2,000", "1,500", "40");
    }

    @Test
    void ticksFallOnOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(ProgressChart.niceStep(2000)).isEqualTo(500);
        assertThat(ProgressChart.niceStep(97)).isEqualTo(20);
        assertThat(ProgressChart.niceStep(100_000)).isEqualTo(20_000);
        assertThat(ProgressChart.niceStep(3)).isEqualTo(1);
        assertThat(ProgressChart.niceStep(0)).isEqualTo(1);
    }

    @Test
    void anEmptyChartIsStillAValidImage() throws Exception {
        Document svg = parse(ProgressChart.svg("no data: benchmark failed", "x", "y", List.of(), List.of()));

        assertThat(svg.getElementsByTagName("polyline").getLength()).isZero();
        assertThat(text(svg)).contains("no data: benchmark failed");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document svg) {
        return svg.getDocumentElement().getTextContent();
    }
}
