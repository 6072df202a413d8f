package io.updraft.release;

import io.updraft.testsupport.TestKafka;
import io.updraft.events.Topics;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A crash between the commit and the relay loses nothing. The relay is held off the way a dead relay would be:
 * this test takes the advisory lock every relay needs (OutboxRelay's RELAY_LOCK), so the release is committed with
 * its event in the outbox while no relay can move it — the state right after a kill -9 of the relaying process.
 * Once the lock is released, a relay delivers the event exactly as it was committed.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class OutboxCrashSafetyIT {
    /** OutboxRelay.RELAY_LOCK: the key every relay instance of this database must hold to relay. */
    private static final long RELAY_LOCK = 0x75706472616674L;

    @Inject
    DataSource dataSource;

    @Test
    void givenNoRelayCanRun_whenAReleaseIsPublished_thenItsEventWaitsInTheOutboxAndIsDeliveredUnchangedLater()
            throws Exception {
        String id;
        List<String[]> committed;
        try (Connection relayBlocker = dataSource.getConnection()) {
            lock(relayBlocker);

            id = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", randomBytes(1_000)).statusCode(201)
                    .extract().path("id");

            committed = outboxRows(id);
            assertThat(committed).as("the event is committed with the release").hasSize(1);
            assertThat(committed.get(0)[1]).isEqualTo("ReleasePublished");
            assertThat(TestKafka.recordsWithKey(Topics.RELEASES, id)).as("and nothing reached Kafka").isEmpty();
            unlock(relayBlocker);
        }

        ConsumerRecord<String, String> delivered = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, id), records -> !records.isEmpty()).get(0);
        assertThat(delivered.value()).isEqualTo(committed.get(0)[2]);
        assertThat(TestKafka.header(delivered, "ce_id")).isEqualTo(committed.get(0)[0]);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> outboxRows(id).isEmpty());
        assertThat(TestKafka.recordsWithKey(Topics.RELEASES, id)).hasSize(1);
    }

    private static void lock(Connection connection) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            lock.execute();
        }
    }

    private static void unlock(Connection connection) throws Exception {
        try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            unlock.setLong(1, RELAY_LOCK);
            try (ResultSet result = unlock.executeQuery()) {
                result.next();
                assertThat(result.getBoolean(1)).as("this test held the relay lock").isTrue();
            }
        }
    }

    /** [event_id, event_type, payload] of the outbox rows for one release. */
    private List<String[]> outboxRows(String releaseId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select event_id, event_type, payload from outbox where record_key = ? order by id")) {
            select.setString(1, releaseId);
            List<String[]> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new String[] { result.getString(1), result.getString(2), result.getString(3) });
                }
            }
            return rows;
        }
    }
}
