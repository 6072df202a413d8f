package io.updraft.gateway;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/** The one test-resource configuration of this module (same everywhere, so Quarkus boots once). */
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
abstract class GatewayTestBase {
    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
