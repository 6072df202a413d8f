package io.updraft.release;

import io.updraft.testsupport.TestKafka;
import io.updraft.events.Topics;
import static io.updraft.release.ReleaseFixtures.STORE;
import static io.updraft.release.ReleaseFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What "a refused publish stores nothing" means, checked where each thing would be: no release or artifact row, no
 * blob in the store, no event in the outbox or on the releases topic, no spooled file left.
 */
public final class NothingStored {
    public static final Path SPOOL = STORE.resolve(".incoming");

    private NothingStored() {
    }

    /** @param name the release name the refused request carried (a {@link ReleaseFixtures#uniqueName()}) */
    public static void assertNothingStored(DataSource dataSource, String name, byte[] image) throws Exception {
        assertNothingStored(dataSource, name, image, STORE);
    }

    /** The same, for a service whose {@code updraft.storage.dir} is {@code store}. */
    public static void assertNothingStored(DataSource dataSource, String name, byte[] image, Path store)
            throws Exception {
        Path spool = store.resolve(".incoming");
        ReleaseRows rows = new ReleaseRows(dataSource);
        String sha256 = hex("SHA-256", image);
        assertThat(rows.releasesNamed(name)).as("release rows").isZero();
        assertThat(rows.artifactsWithSha256(sha256)).as("artifact rows").isZero();
        assertThat(store.resolve(sha256)).as("stored blob").doesNotExist();
        if (name.startsWith("fw-")) { // a unique name: anything mentioning it comes from this request
            assertThat(rows.outboxRowsMentioning(name)).as("outbox rows").isZero();
            assertThat(TestKafka.recordsMentioning(Topics.RELEASES, name)).as("events on the releases topic").isEmpty();
        }
        // nothing left in the spool (the reader deletes refused files before the answer is sent)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!Files.isDirectory(spool)) {
                return true;
            }
            try (Stream<Path> files = Files.list(spool)) {
                return files.findAny().isEmpty();
            }
        });
    }
}
