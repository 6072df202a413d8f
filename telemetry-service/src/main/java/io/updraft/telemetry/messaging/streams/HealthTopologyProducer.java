package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.config.ConfiguredPolicy;
import io.updraft.telemetry.config.TelemetryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.apache.kafka.streams.Topology;

/** The topology quarkus-kafka-streams runs (application id, exactly-once and the rest in application.properties). */
@ApplicationScoped
public class HealthTopologyProducer {
    @Inject
    TelemetryConfig config;

    @Produces
    public Topology healthTopology() {
        return HealthTopology.build(TopologySettings.of(config),
                created -> ConfiguredPolicy.of(created.policy(), config, 0));
    }
}
