package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Properties;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceLogLevelsTest {
    private static final String CATEGORY = "io.updraft.bench.loglevels-test.kafka";
    private static String[] ran;

    @AfterEach
    void resetLevels() {
        org.jboss.logmanager.Logger.getLogger(CATEGORY).setLevel(null);
        org.jboss.logmanager.Logger.getLogger("").setLevel(root);
    }

    private final Level root = org.jboss.logmanager.Logger.getLogger("").getLevel();

    @Test
    void theServicesLevelsAreTheProdProfilesWithInfoAtTheRootUnlessSet() {
        Properties service = new Properties();
        service.setProperty("quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        service.setProperty("quarkus.log.category.\"io.updraft\".level", "DEBUG");
        service.setProperty("%prod.quarkus.log.category.\"io.updraft\".level", "ERROR");
        service.setProperty("%dev.quarkus.log.category.\"io.vertx\".level", "TRACE");
        service.setProperty("quarkus.log.console.format", "%d %s%n");

        assertThat(ServiceLogLevels.levels(service)).containsOnly(entry("", Level.INFO),
                entry("org.apache.kafka", Level.WARNING), entry("io.updraft", Level.SEVERE));

        service.setProperty("quarkus.log.level", "DEBUG");
        assertThat(ServiceLogLevels.levels(service)).containsEntry("", Level.FINE);
    }

    @Test
    void aCategoryAtWarnNoLongerAnswersThatTraceIsEnabled() {
        // what Quarkus's initial log configurator leaves every logger at until Quarkus starts
        org.jboss.logmanager.Logger.getLogger(CATEGORY).setLevel(Level.ALL);
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(CATEGORY);
        assertThat(logger.isTraceEnabled()).isTrue();

        Properties service = new Properties();
        service.setProperty("quarkus.log.category.\"" + CATEGORY + "\".level", "WARN");
        ServiceLogLevels.apply(ServiceLogLevels.levels(service));

        assertThat(logger.isTraceEnabled()).isFalse();
        assertThat(logger.isInfoEnabled()).isFalse();
        assertThat(logger.isWarnEnabled()).isTrue();
    }

    @Test
    void theBenchmarksMainRunsWithTheOtherArguments() throws Throwable {
        ServiceLogLevels.main(new String[] {Child.class.getName(), "a", "b"});

        assertThat(ran).containsExactly("a", "b");
        // the first application.properties on the test's class path: the benchmarks module's own (WARN)
        assertThat(org.slf4j.LoggerFactory.getLogger("io.updraft.bench.any").isInfoEnabled()).isFalse();
    }

    public static final class Child {
        public static void main(String[] args) {
            ran = args;
        }
    }
}
