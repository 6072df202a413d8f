package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.ArtifactRef;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.SemVer;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.testsupport.TestKafka;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter language against the real inventory: PostgreSQL selects exactly the devices the Java evaluator
 * ({@code Filter#matches}) accepts, for GET /devices?filter= and for a rollout's target set.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class TargetFilterIT {
    private static final String PROBLEM = "application/problem+json";
    private static final String FLEET = "filter-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String MODEL_A = "gw-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String MODEL_B = "gw-" + UUID.randomUUID().toString().substring(0, 6);
    /** device id -> attributes; the installed version is the "installed" attribute's value (null: none reported) */
    private static final Map<String, Map<String, String>> DEVICES = new LinkedHashMap<>();
    private static final Map<String, String> VERSIONS = new LinkedHashMap<>();

    private static boolean loaded;

    /** Once per class, but after Quarkus is up (the devices are awaited through its API). */
    @BeforeEach
    void givenAMixedFleet() {
        if (loaded) {
            return;
        }
        String[] regions = { "eu", "us", "apac", null };
        String[] versions = { "1.0.0", "1.9.9", "2.0.0-rc.1", "2.0.0", "2.0.0+build.5", "10.1.0", "1.0", null };
        String[] memories = { "512", "1024", "96", "2048.5", "lots" };
        for (int i = 0; i < 24; i++) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("model", i % 3 == 0 ? MODEL_B : MODEL_A);
            attributes.put("revision", i % 2 == 0 ? "1.0" : "2");
            attributes.put("fleet", FLEET);
            if (regions[i % 4] != null) {
                attributes.put("region", regions[i % 4]);
            }
            attributes.put("memory", memories[i % 5]);
            String id = FLEET + "-" + (100 + i);
            DEVICES.put(id, attributes);
            VERSIONS.put(id, versions[i % 8]);
            TestKafka.send(Fleet.registered(id, attributes));
            if (versions[i % 8] != null) {
                TestKafka.send(Fleet.installed(id, "rel-" + versions[i % 8], versions[i % 8]));
            }
        }
        DEVICES.keySet().forEach(id -> Api.awaitDevice(id, VERSIONS.get(id) == null ? null : "rel-" + VERSIONS.get(id)));
        loaded = true;
    }

    @Test
    void given_many_filters_then_sql_selects_exactly_what_the_java_evaluator_accepts() {
        List<String> filters = List.of(
                "version < \"2.0.0\"",
                "version >= \"2.0.0\"",
                "version == \"2.0.0\"",
                "version != \"2.0.0\"",
                "not version < \"2.0.0\"",
                "version in (\"1.0.0\", \"10.1.0\")",
                "version not in (\"1.0.0\", \"10.1.0\")",
                "version > \"2.0.0-beta\" and version < \"2.0.0\"",
                "model == \"" + MODEL_A + "\" and version < \"2.0.0\" and region in (\"eu\",\"us\")",
                "region != \"eu\"",
                "not region == \"eu\"",
                "region not in (\"eu\", \"us\")",
                "region < \"f\" or memory >= 1000",
                "memory > 100",
                "memory < \"5\"",
                "memory == 2048.50",
                "revision == 2 or revision > \"1.5\"",
                "revision in (1, \"2\")",
                "not (model == \"" + MODEL_B + "\" or region == \"apac\") and memory != \"lots\"",
                "missing == \"x\" or not missing != \"x\"");
        for (String filter : filters) {
            List<String> expected = DEVICES.entrySet().stream()
                    .filter(e -> FilterParser.parse(filter).matches(e.getValue(), VERSIONS.get(e.getKey())))
                    .map(Map.Entry::getKey).sorted().toList();
            List<String> selected = Api.asViewer().queryParam("filter", "fleet == \"" + FLEET + "\" and (" + filter + ")")
                    .queryParam("size", 1000).get("/api/v1/devices").then().statusCode(200)
                    .extract().jsonPath().getList("items.deviceId");
            assertThat(selected).as(filter).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void given_semver_strings_then_postgresql_computes_the_same_version_key_as_java() {
        List<String> versions = Stream.concat(Stream.of("0.0.1", "1.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1",
                "1.0.0-alpha.beta", "1.0.0-beta.11", "1.0.0-x-y-z", "1.0.0-rc.1+build.1", "1.0.0", "12345678901.0.0",
                "2.0.0+meta", "1.0.0-a-b.C1.9"), Stream.of("1.0", "01.0.0", "1.0.0-01", "v1.0.0", "1.0.0-a..b", "", "1.0.0-", "1.0.0+",
                "1.0.0+a+b", "1.0.0-a.", "1.0.0-a_b", "-1.0.0", "1.0.0-0a", "1.0.0-00", "1.0.0+build-1.x",
                "1.0.0-rc-1+x", " 1.0.0", "1.0.0.0", "1.2.3-" + "9".repeat(100)))
                .toList();
        EntityManager entityManager = CDI.current().select(EntityManager.class).get();
        for (String version : versions) {
            Object key = QuarkusTransaction.requiringNew().call(() -> entityManager
                    .createNativeQuery("select updraft_version_key(cast(?1 as text))").setParameter(1, version)
                    .getSingleResult());
            assertThat(key).as(version).isEqualTo(SemVer.sortKey(version));
        }
    }

    @Test
    void given_a_filter_and_a_target_then_the_rollout_takes_the_matching_devices_the_release_accepts() {
        // a release for model A only: hardware compatibility applies on top of the filter
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(new ReleaseEvent.ReleasePublished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                releaseId, "firmware", "3.0.0", List.of(new ArtifactRef(1, "os", "fw.swu", 10, "a".repeat(64),
                        "b".repeat(40), "c".repeat(32))),
                List.of(new HardwareCompatibility(MODEL_A, HardwareCompatibility.ANY_REVISION))));
        Api.awaitRelease(releaseId);
        String filter = "version < \"2.0.0\" and region in (\"eu\", \"us\")";

        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("fleet", FLEET),
                "filter", filter, "soakTime", "PT1H")).then().statusCode(201).body("filter", equalTo(filter))
                .extract().path("id");

        List<String> expected = new ArrayList<>();
        DEVICES.forEach((device, attributes) -> {
            if (attributes.get("model").equals(MODEL_A)
                    && FilterParser.parse(filter).matches(attributes, VERSIONS.get(device))) {
                expected.add(device);
            }
        });
        assertThat(expected).isNotEmpty();
        // the dispatcher writes the wave's actions after the creation commits (V52): wait until it has
        List<String> targeted = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> Api.asViewer().get("/api/v1/rollouts/" + id + "/actions").then().statusCode(200)
                        .extract().jsonPath().<String>getList("deviceId"), found -> found.size() >= expected.size());
        assertThat(targeted).containsExactlyInAnyOrderElementsOf(expected);
        Api.asOperator().post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200);
    }

    @Test
    void given_bad_filter_syntax_then_devices_and_rollouts_answer_400_naming_the_position() {
        Api.asViewer().queryParam("filter", "model == \"gw\" and").get("/api/v1/devices").then().statusCode(400)
                .contentType(PROBLEM).body("detail", containsString("position 18"))
                .body("detail", containsString("expected an attribute name"));
        Api.asViewer().queryParam("filter", "version < 2").get("/api/v1/devices").then().statusCode(400)
                .body("detail", containsString("SemVer"));
        Api.createRollout(Map.of("releaseId", "whatever", "filter", "region in (\"eu\"")).then().statusCode(400)
                .contentType(PROBLEM).body("detail", containsString("position 16"))
                .body("detail", containsString("',' or ')'"));
        Api.createRollout(Map.of("releaseId", "whatever", "filter", "a == 1", "cohortBy", List.of("bad name")))
                .then().statusCode(400).body("detail", containsString("cohortBy"));
    }
}
