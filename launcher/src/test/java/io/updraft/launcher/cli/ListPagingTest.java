package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Request;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code devices list} and {@code release list} follow the API's cursor with {@code --all}, or take one. */
class ListPagingTest {
    private static final Pattern CURSOR = Pattern.compile("cursor=([^&]+)");
    private static final Pattern LIMIT = Pattern.compile("limit=(\\d+)");
    private static final int DEVICES = 25;

    @TempDir
    Path root;
    private final StubApi stub = StubApi.started().on("/api/v1/devices", ListPagingTest::devicesPage)
            .on("/api/v1/releases", ListPagingTest::releasesPage);

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void givenMoreDevicesThanOnePage_whenListingAll_thenEveryDeviceExactlyOnce() {
        Run run = stub.cli(root, "--output", "id", "devices", "list", "--all", "--size", "10", "--model", "gw-200");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).isEqualTo(deviceIds(0, DEVICES));
        assertThat(stub.requests()).extracting(Request::uri).containsExactly(
                "/api/v1/devices?limit=10&model=gw-200",
                "/api/v1/devices?limit=10&cursor=d10&model=gw-200",
                "/api/v1/devices?limit=10&cursor=d20&model=gw-200");
    }

    @Test
    void givenAllWithJsonOutput_whenListing_thenOneArrayOfEveryDevice() {
        Run run = stub.cli(root, "devices", "list", "--all", "--size", "7", "--output", "json");

        JsonNode printed = UpdraftApi.parse(run.out());
        List<String> ids = new ArrayList<>();
        printed.forEach(d -> ids.add(d.path("deviceId").asText()));
        assertThat(ids).isEqualTo(deviceIds(0, DEVICES));
    }

    @Test
    void givenAllInHumanOutput_whenListing_thenOneHeaderEveryRowAndTheCount() {
        Run run = stub.cli(root, "devices", "list", "--all", "--size", "10");

        assertThat(run.out().lines().filter(l -> l.startsWith("DEVICE"))).hasSize(1);
        assertThat(run.out().lines().filter(l -> l.startsWith("gw-200-"))).hasSize(DEVICES);
        assertThat(run.out()).endsWith(DEVICES + " devices" + System.lineSeparator());
    }

    @Test
    void givenACursor_whenListing_thenOnePageFromThereAndTheNextCursorIsShown() {
        Run run = stub.cli(root, "devices", "list", "--cursor", "d10", "--size", "5");

        assertThat(run.out()).contains("gw-200-0010", "gw-200-0014").doesNotContain("gw-200-0015", "gw-200-0009")
                .contains("more: --cursor d15 (or --all for every page)");
    }

    @Test
    void givenPageWithAll_whenListing_thenUsageErrorAndNoRequest() {
        Run run = stub.cli(root, "devices", "list", "--all", "--page", "2");

        assertThat(run.status()).isEqualTo(WatchVerdict.USAGE);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void givenPagesOfTheOldKind_whenListing_thenPageAndSizeStillWork() {
        stub.on("/api/v1/devices", request -> Answer.json("{\"items\":[{\"deviceId\":\"gw-1\"}],\"page\":3,"
                + "\"size\":1,\"total\":9,\"nextCursor\":\"x\"}"));

        Run run = stub.cli(root, "devices", "list", "--page", "3", "--size", "1");

        assertThat(stub.requests().get(0).uri()).isEqualTo("/api/v1/devices?page=3&size=1");
        assertThat(run.out()).contains("1 of 9 devices (page 3)");
    }

    @Test
    void givenMoreReleasesThanOnePage_whenListingAll_thenTheNextCursorHeaderIsFollowed() {
        Run run = stub.cli(root, "release", "list", "--all", "--limit", "4", "--output", "id");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).containsExactly("rel-0", "rel-1", "rel-2", "rel-3", "rel-4", "rel-5",
                "rel-6", "rel-7", "rel-8", "rel-9");
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void givenAllWithOrderByVersion_whenListingReleases_thenUsageError() {
        Run run = stub.cli(root, "release", "list", "--all", "--order", "version", "--name", "gw");

        assertThat(run.status()).isEqualTo(WatchVerdict.USAGE);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void givenAReleaseBeyondTheFirstPage_whenResolvingNameAtVersion_thenThePagesAreFollowed() {
        Run run = stub.cli(root, "release", "promote", "gw@9.0.0");

        // the promote itself is not stubbed (404), but it went to the release found on the third page
        assertThat(stub.requests()).extracting(Request::uri).last().isEqualTo("/api/v1/releases/rel-9/promote");
        assertThat(run.status()).isEqualTo(1);
    }

    private static Answer devicesPage(Request request) {
        int from = cursor(request).map(c -> Integer.parseInt(c.substring(1))).orElse(0);
        int limit = limit(request);
        int to = Math.min(DEVICES, from + limit);
        StringBuilder items = new StringBuilder();
        for (String id : deviceIds(from, to)) {
            items.append(items.isEmpty() ? "" : ",").append("{\"deviceId\":\"").append(id)
                    .append("\",\"cohort\":\"gw-200:1.0\"}");
        }
        String next = to < DEVICES ? "\"d" + to + "\"" : "null";
        return Answer.json("{\"items\":[" + items + "],\"page\":0,\"size\":" + limit + ",\"total\":null,"
                + "\"nextCursor\":" + next + "}");
    }

    private static Answer releasesPage(Request request) {
        int from = cursor(request).map(c -> Integer.parseInt(c.substring(1))).orElse(0);
        int to = Math.min(10, from + limit(request));
        StringBuilder items = new StringBuilder();
        for (int i = from; i < to; i++) {
            items.append(items.isEmpty() ? "" : ",").append("{\"id\":\"rel-").append(i)
                    .append("\",\"name\":\"gw\",\"version\":\"").append(i).append(".0.0\"}");
        }
        return new Answer(200, "[" + items + "]", to < 10 ? Map.of("Next-Cursor", "r" + to) : Map.of());
    }

    private static java.util.Optional<String> cursor(Request request) {
        Matcher cursor = CURSOR.matcher(request.uri());
        return cursor.find() ? java.util.Optional.of(cursor.group(1)) : java.util.Optional.empty();
    }

    private static int limit(Request request) {
        Matcher limit = LIMIT.matcher(request.uri());
        return limit.find() ? Integer.parseInt(limit.group(1)) : 100;
    }

    private static List<String> deviceIds(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(String.format("gw-200-%04d", i));
        }
        return ids;
    }
}
