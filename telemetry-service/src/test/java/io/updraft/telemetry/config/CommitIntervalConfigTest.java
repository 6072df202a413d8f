package io.updraft.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topology's Kafka Streams settings as application.properties resolves them: the commit interval follows the
 * processing guarantee chosen (ADR 0023): exactly-once (the default) its short one, at-least-once its own.
 */
class CommitIntervalConfigTest {

    private static SmallRyeConfig config(Map<String, String> overrides) throws Exception {
        return new SmallRyeConfigBuilder().addDefaultInterceptors() // expressions, as Quarkus resolves them
                .withSources(new PropertiesConfigSource(
                        CommitIntervalConfigTest.class.getClassLoader().getResource("application.properties"), 100))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .build();
    }

    @Test
    void given_the_defaults_then_at_least_once_commits_every_second() throws Exception {
        SmallRyeConfig config = config(Map.of());
        assertThat(config.getValue("kafka-streams.processing.guarantee", String.class)).isEqualTo("at_least_once");
        assertThat(config.getValue("kafka-streams.commit.interval.ms", Integer.class)).isEqualTo(1000);
    }

    @Test
    void given_exactly_once_chosen_then_it_commits_every_100_ms() throws Exception {
        SmallRyeConfig config = config(Map.of("updraft.telemetry.processing-guarantee", "exactly_once_v2"));
        assertThat(config.getValue("kafka-streams.processing.guarantee", String.class)).isEqualTo("exactly_once_v2");
        assertThat(config.getValue("kafka-streams.commit.interval.ms", Integer.class)).isEqualTo(100);
    }

    @Test
    void given_an_at_least_once_interval_set_then_that_one_applies() throws Exception {
        SmallRyeConfig config = config(Map.of("updraft.telemetry.processing-guarantee", "at_least_once",
                "updraft.telemetry.commit-interval-ms.at_least_once", "5000"));
        assertThat(config.getValue("kafka-streams.commit.interval.ms", Integer.class)).isEqualTo(5000);
    }
}
