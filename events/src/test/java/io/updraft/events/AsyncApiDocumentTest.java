package io.updraft.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class AsyncApiDocumentTest {
    private static final Path DOCUMENT = Path.of("asyncapi.yaml");

    @Test
    void theDocumentDescribesEveryTopicKeyAndEventExactlyAsTheRecordsDo() throws Exception {
        if (Boolean.getBoolean("updraft.asyncapi.write")) {
            AsyncApiWriter.write(DOCUMENT);
        }
        Map<String, Object> committed;
        try (Reader reader = Files.newBufferedReader(DOCUMENT)) {
            committed = new Yaml().load(reader);
        }
        Map<String, Object> fromRecords = AsyncApiWriter.document();

        assertThat(committed.get("channels")).as("channels (topics, keys, events)").isEqualTo(fromRecords.get("channels"));
        assertThat(committed.get("components")).as("message payloads").isEqualTo(fromRecords.get("components"));
        @SuppressWarnings("unchecked")
        Map<String, Object> channels = (Map<String, Object>) committed.get("channels");
        assertThat(channels.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }
}
