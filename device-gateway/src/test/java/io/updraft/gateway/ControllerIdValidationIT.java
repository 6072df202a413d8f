package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.gateway.service.DeviceRegistry;
import io.updraft.gateway.service.FirstContactQueue;
import io.updraft.gateway.domain.PollView;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant and controllerId are identifiers (1-200 chars of {@code A-Z a-z 0-9 . _ - ~ : @ +}), checked at the edge
 * before any cache lookup or database access; and a device the database refuses fails its first contact alone,
 * not the devices registered in the same batch.
 */
@QuarkusTest
class ControllerIdValidationIT extends GatewayTestBase {
    private static final String TOO_LONG = "d" + "x".repeat(200);

    @Inject
    EntityManager entityManager;
    @Inject
    DeviceRegistry registry;

    private GatewayDatabase database;

    @BeforeEach
    void database() {
        database = new GatewayDatabase(entityManager);
    }

    @Test
    void givenControllerIdsThatAreNoIdentifiers_whenTheyPoll_then400AndNoDeviceRow() {
        for (String id : List.of(TOO_LONG, "dev%20x", "-dev", "dev%00", "dev%0D%0AX-Injected:1", "dev%C3%A9",
                "dev%3Bx", "dev%22x")) {
            RawHttp.Answer answer = RawHttp.send("GET", "/DEFAULT/controller/v1/" + id,
                    "GatewayToken " + DdiDevice.GATEWAY_TOKEN, null);
            assertThat(answer.status()).as(id + " → " + answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).as(id).startsWith("application/problem+json");
        }
        assertThat(database.deviceExists(TOO_LONG)).isFalse();
        assertThat(database.deviceExists("dev x")).isFalse();
    }

    @Test
    void givenATenantThatIsNoIdentifier_whenADevicePolls_then400() {
        RawHttp.Answer answer = RawHttp.send("GET", "/DE%20FAULT/controller/v1/dev-1",
                "GatewayToken " + DdiDevice.GATEWAY_TOKEN, null);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void givenAPoisonedFirstPollAmongGoodOnes_whenTheyArriveTogether_thenTheGoodOnesAreRegisteredAndThePoison400()
            throws Exception {
        List<DdiDevice> good = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            good.add(DdiDevice.random());
        }
        ExecutorService pool = Executors.newFixedThreadPool(good.size() + 1);
        try {
            CompletableFuture<RawHttp.Answer> poison = CompletableFuture.supplyAsync(() -> RawHttp.send("GET",
                    "/DEFAULT/controller/v1/" + TOO_LONG, "GatewayToken " + DdiDevice.GATEWAY_TOKEN, null), pool);
            List<CompletableFuture<RawHttp.Answer>> polls = good.stream()
                    .map(device -> CompletableFuture.supplyAsync(() -> RawHttp.send("GET", device.path(),
                            "GatewayToken " + DdiDevice.GATEWAY_TOKEN, null), pool))
                    .toList();

            assertThat(poison.get(30, TimeUnit.SECONDS).status()).isEqualTo(400);
            for (CompletableFuture<RawHttp.Answer> poll : polls) {
                assertThat(poll.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(good).allSatisfy(device -> assertThat(database.registered(device.id())).isTrue());
        assertThat(database.deviceExists(TOO_LONG)).isFalse();
    }

    @Test
    void givenAFirstContactBatchWithADeviceTheDatabaseRefuses_whenApplied_thenOnlyThatOneFails() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the real registration, with the writer held on a first batch so that the next visits form one batch
        FirstContactQueue queue = new FirstContactQueue("test-first-contact", 100, 100, visits -> {
            if (visits.get(0).controllerId().equals("blocker")) {
                writerBusy.countDown();
                release.await(10, TimeUnit.SECONDS);
                return Map.of();
            }
            return registry.registerAndLoad(visits);
        });
        try {
            queue.submit(new FirstContactQueue.Visit("DEFAULT", "blocker", false));
            assertThat(writerBusy.await(10, TimeUnit.SECONDS)).isTrue();
            List<DdiDevice> good = List.of(DdiDevice.random(), DdiDevice.random(), DdiDevice.random());
            List<CompletableFuture<PollView>> answers = new ArrayList<>();
            answers.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", good.get(0).id(), true)));
            CompletableFuture<PollView> poisoned = queue.submit(
                    new FirstContactQueue.Visit("DEFAULT", "nul\u0000id", true));
            answers.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", good.get(1).id(), true)));
            answers.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", good.get(2).id(), true)));

            release.countDown();

            assertThatThrownBy(() -> poisoned.get(30, TimeUnit.SECONDS)).isNotNull();
            for (CompletableFuture<PollView> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).registered()).isTrue();
            }
            assertThat(good).allSatisfy(device -> assertThat(database.registered(device.id())).isTrue());
        } finally {
            release.countDown();
            queue.close();
        }
    }

    @Test
    void givenControllerIdsThatAreNoIdentifiers_whenTheManagementApiIsAsked_then400AndNoDeviceRow() {
        String operator = UpdraftStackResource.tokens().mint("op", Duration.ofMinutes(10), "operator");
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("token", "long-enough-token"))
                .put("/api/v1/devices/" + TOO_LONG + "/token").then().statusCode(400)
                .contentType("application/problem+json");
        for (String id : List.of(TOO_LONG, "dev%20x", "dev%00")) {
            RawHttp.Answer answer = RawHttp.send("GET", "/api/v1/devices/" + id, "Bearer " + operator, null);
            assertThat(answer.status()).as(id + " → " + answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).as(id).startsWith("application/problem+json");
        }
        assertThat(database.deviceExists(TOO_LONG)).isFalse();
    }
}
