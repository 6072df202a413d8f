package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.rollout.persistence.DeviceInventory;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the inventory lists past any size. GET /api/v1/devices pages with an opaque cursor ({@code cursor},
 * {@code limit}, answering {@code nextCursor}) as well as by page number, and refuses a cursor it did not hand out.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class DevicePagingIT {
    private static final String PROBLEM = "application/problem+json";
    private static final int DEVICES = 2_500;

    @Inject
    DeviceInventory inventory;

    @Test
    void givenMoreDevicesThanAPage_whenFollowingTheCursor_thenEveryDeviceComesExactlyOnceInIdOrder() {
        String model = Fleet.uniqueModel();
        List<String> ids = insert(model, DEVICES);

        List<String> listed = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            var request = Api.asViewer().queryParam("model", model).queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/devices").then().statusCode(200)
                    .body("total", nullValue()).extract().jsonPath();
            listed.addAll(page.getList("items.deviceId", String.class));
            cursor = page.getString("nextCursor");
            cursors.add(cursor);
        } while (cursor != null);

        assertThat(listed).isEqualTo(ids); // each once, none missing, sorted by device id
        assertThat(cursors).hasSize(3).last().isNull();
    }

    @Test
    void givenPageAndSize_whenListing_thenThePageTheTotalAndTheCursorOfTheNextPage() {
        String model = Fleet.uniqueModel();
        List<String> ids = insert(model, DEVICES);

        JsonPath first = Api.asViewer().get("/api/v1/devices?model=" + model + "&page=0&size=1000").then()
                .statusCode(200).body("total", equalTo(DEVICES)).body("items.size()", equalTo(1000)).extract()
                .jsonPath();
        Api.asViewer().get("/api/v1/devices?model=" + model + "&page=2&size=1000").then().statusCode(200)
                .body("items.size()", equalTo(500)).body("items[0].deviceId", equalTo(ids.get(2000)))
                .body("nextCursor", nullValue());
        // the page-number answer's cursor continues where that page ended
        Api.asViewer().queryParam("model", model).queryParam("cursor", first.getString("nextCursor"))
                .queryParam("limit", 10).get("/api/v1/devices").then().statusCode(200)
                .body("items[0].deviceId", equalTo(ids.get(1000))).body("items.size()", equalTo(10));
    }

    @Test
    void givenACursorThisApiDidNotHandOut_whenListing_then400ProblemJsonNever500() {
        String notAnIdentifier = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("d1:a b/../c".getBytes(StandardCharsets.UTF_8));
        String unversioned = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("gw-1".getBytes(StandardCharsets.UTF_8));
        for (String query : List.of("cursor=garbage!", "cursor=%00", "cursor=ZDE6%00", "cursor=" + "A".repeat(401),
                "cursor=" + notAnIdentifier, "cursor=" + unversioned, "cursor=ZDE6YQ&page=1",
                "limit=0", "limit=1001")) {
            var answer = Api.asViewer().urlEncodingEnabled(false).get("/api/v1/devices?" + query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.contentType()).as(query).startsWith(PROBLEM);
        }
    }

    /** {@code count} devices of {@code model} written straight into the inventory; their ids in id order. */
    private List<String> insert(String model, int count) {
        List<DeviceInventory.Described> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(new DeviceInventory.Described(String.format("%s-%05d", model, i),
                    Map.of("model", model, "revision", "1"), Instant.now()));
        }
        QuarkusTransaction.requiringNew().run(() -> inventory.describeAll(devices));
        return devices.stream().map(DeviceInventory.Described::deviceId).sorted().toList();
    }
}
