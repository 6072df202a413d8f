package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.NothingStored.assertNothingStored;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static io.updraft.release.api.TenantRegistryIT.admin;
import static io.updraft.release.api.TenantRegistryIT.create;
import static io.updraft.release.api.TenantRegistryIT.newTenantId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.ReleaseRows;
import io.updraft.release.service.ArtifactQuota;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A tenant's artifact-storage quota (ADR 0021 decision 5): what would take its stored bytes over maxArtifactBytes is a
 * 409 problem before anything is stored, decided under the tenant row's lock; other tenants are not affected.
 */
@QuarkusTest
@TestProfile(MultiTenantReleasesIT.MultiTenant.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ArtifactQuotaIT {
    @Inject
    DataSource dataSource;
    @Inject
    ArtifactQuota quota;
    @Inject
    EntityManager entityManager;

    @Test
    void givenAQuota_whenPublishesFillIt_thenWhatFitsIsStoredAndWhatDoesNotIs409WithNothingStored() throws Exception {
        String tenant = create(newTenantId(), "{\"maxArtifactBytes\":10000}");
        String other = create(newTenantId(), "{\"maxArtifactBytes\":10000}");

        publish(token(tenant), uniqueName(), randomBytes(6_000)).statusCode(201);

        String name = uniqueName();
        byte[] tooMuch = randomBytes(5_000);
        publish(token(tenant), name, tooMuch).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("maxArtifactBytes"));
        assertNothingStored(dataSource, name, tooMuch);

        // another tenant, and a tenant without a quota, are not affected
        publish(token(other), uniqueName(), tooMuch).statusCode(201);
        publish(token(newTenantId()), uniqueName(), randomBytes(20_000)).statusCode(201);
        // exactly up to the quota fits; anything more does not
        publish(token(tenant), uniqueName(), randomBytes(4_000)).statusCode(201);
        String oneMore = uniqueName();
        byte[] more = randomBytes(64); // random, so no other test stored these bytes
        publish(token(tenant), oneMore, more).statusCode(409);
        assertNothingStored(dataSource, oneMore, more);

        // raised: fits again
        admin().contentType(ContentType.JSON).body("{\"maxArtifactBytes\":20000}")
                .patch("/api/v1/tenants/" + tenant + "/quotas").then().statusCode(200);
        publish(token(tenant), uniqueName(), tooMuch).statusCode(201);
    }

    @Test
    void givenTwoStepUploads_whenReceivedBytesWouldExceedTheQuota_then409AndTheUploadIsUsableOnceThereIsRoom()
            throws Exception {
        String tenant = create(newTenantId(), "{\"maxArtifactBytes\":10000}");
        String token = token(tenant);

        // announcing more than the room left is refused before anything exists
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"fw.swu\",\"size\":10001}")
                .post("/api/v1/uploads").then().statusCode(409).contentType("application/problem+json");

        JsonPath first = announce(token);
        given().contentType("application/octet-stream").body(randomBytes(6_000)).put(first.getString("uploadUrl"))
                .then().statusCode(200).body("state", equalTo("RECEIVED"));
        // received bytes count: a second upload that would pass the quota is refused, and stays usable
        JsonPath second = announce(token);
        byte[] secondBytes = randomBytes(5_000);
        given().contentType("application/octet-stream").body(secondBytes).put(second.getString("uploadUrl"))
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(token).get("/api/v1/uploads/" + second.getString("uploadId")).then().statusCode(200)
                .body("state", equalTo("CREATED")).body("sha256", equalTo(null));

        // publishing the first upload adopts bytes already counted: it fits
        given().auth().oauth2(token).multiPart("metadata", metadata(uniqueName(), "1.0.0"))
                .multiPart("artifacts", "[{\"uploadId\":\"" + first.getString("uploadId") + "\"}]")
                .post("/api/v1/releases").then().statusCode(201);
        // and a publish with new bytes on top of them does not
        String name = uniqueName();
        byte[] image = randomBytes(4_001);
        publish(token, name, image).statusCode(409);
        assertNothingStored(dataSource, name, image);

        admin().contentType(ContentType.JSON).body("{\"maxArtifactBytes\":null}")
                .patch("/api/v1/tenants/" + tenant + "/quotas").then().statusCode(200);
        given().contentType("application/octet-stream").body(secondBytes).put(second.getString("uploadUrl"))
                .then().statusCode(200).body("state", equalTo("RECEIVED"));
    }

    @Test
    void givenConcurrentPublishesThatFitOnlyOneAtATime_whenSent_thenExactlyOneIsStored() throws Exception {
        String tenant = create(newTenantId(), "{\"maxArtifactBytes\":10000}");
        String token = token(tenant);
        int publishes = 4;
        List<String> names = new ArrayList<>();
        List<Callable<Integer>> calls = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < publishes; i++) {
            String name = uniqueName();
            names.add(name);
            byte[] bytes = randomBytes(6_000);
            calls.add(() -> {
                start.await();
                return publish(token, name, bytes).extract().statusCode();
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(publishes);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (Callable<Integer> call : calls) {
                answers.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(120, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        ReleaseRows rows = new ReleaseRows(dataSource);
        long stored = 0;
        for (String name : names) {
            stored += rows.releasesNamed(name);
        }
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void givenAQuotaCheckInFlight_whenAnotherOfTheSameTenantChecks_thenItWaitsForTheFirstsRowLock() throws Exception {
        String tenant = create(newTenantId(), "{\"maxArtifactBytes\":10000}");
        publish(token(tenant), uniqueName(), randomBytes(6_000)).statusCode(201);
        // the check inside the recording transaction counts what is committed
        assertThatThrownBy(() -> reserve(tenant, 4_001, null)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.status()).isEqualTo(409));
        reserve(tenant, 4_000, null);

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> {
                // a thread of its own (as another request's), with the request context Hibernate's tenant needs
                var context = Arc.container().requestContext();
                context.activate();
                try {
                    reserve(tenant, 1, () -> {
                        locked.countDown();
                        try {
                            release.await(120, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } finally {
                    context.terminate();
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> locked.getCount() == 0 || first.isDone());
            if (locked.getCount() > 0) {
                first.get(); // its failure, if it failed
                throw new AssertionError("the first check ended before taking the lock");
            }
            // while the first transaction holds the tenant's row, a second check of that tenant cannot take it
            assertThatThrownBy(() -> Tenants.runAs(tenant, () -> QuarkusTransaction.requiringNew().run(() -> {
                entityManager.createNativeQuery("set local lock_timeout = '300ms'").executeUpdate();
                quota.reserve(1, "a second publish");
            }))).hasStackTraceContaining("lock timeout");
            // another tenant's check is not held up; an unlimited tenant takes no lock at all
            reserve(create(newTenantId(), "{\"maxArtifactBytes\":10000}"), 1, null);
            reserve(create(newTenantId(), null), 1, null);
            release.countDown();
            first.get(60, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        reserve(tenant, 1, null);
    }

    /** {@link ArtifactQuota#reserve} as {@code tenant} in a transaction of its own; {@code meanwhile} runs before it ends. */
    private void reserve(String tenant, long bytes, Runnable meanwhile) {
        Tenants.runAs(tenant, () -> QuarkusTransaction.requiringNew().run(() -> {
            quota.reserve(bytes, "a test");
            if (meanwhile != null) {
                meanwhile.run();
            }
        }));
    }

    private static String token(String tenant) {
        return UpdraftStackResource.tokens().mintForTenant(tenant, "ci-" + tenant, Duration.ofMinutes(10),
                "publisher", "viewer");
    }

    private static ValidatableResponse publish(String token, String name, byte[] bytes) {
        return given().auth().oauth2(token).multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", bytes, "application/octet-stream").post("/api/v1/releases").then();
    }

    private static JsonPath announce(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"fw.swu\"}")
                .post("/api/v1/uploads").then().statusCode(201).extract().jsonPath();
    }
}
