package io.updraft.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules on two fixtures: one shaped as they demand, one with each violation issue 17 found in the services. */
class ServiceArchitectureTest {
    private static final String GOOD = "io.updraft.testsupport.fixture.good";
    private static final String BAD = "io.updraft.testsupport.fixture.bad";

    @Test
    void given_a_service_in_the_shape_then_every_rule_passes() {
        JavaClasses classes = new ClassFileImporter().importPackages(GOOD);
        for (ArchRule rule : ServiceArchitecture.rules(GOOD)) {
            assertThat(rule.evaluate(classes).hasViolation()).as(rule.getDescription()).isFalse();
        }
    }

    @Test
    void given_each_violation_then_its_rule_fails_and_names_the_offender() {
        JavaClasses classes = new ClassFileImporter().importPackages(BAD);
        Map<String, String> reports = new LinkedHashMap<>();
        for (ArchRule rule : ServiceArchitecture.rules(BAD)) {
            EvaluationResult result = rule.evaluate(classes);
            reports.put(rule.getDescription(), result.hasViolation() ? result.getFailureReport().toString() : "");
        }
        assertThat(report(reports, "layers of")).contains("bad.domain.Order").contains("bad.api.OrderResource")
                .contains("bad.service.Orders");
        assertThat(report(reports, "every class of")).contains("bad.Loose");
        assertThat(report(reports, "only " + BAD + ".persistence issues SQL")).contains("bad.service.Orders")
                .contains("EntityManager");
        assertThat(report(reports, "entities of")).contains("bad.persistence.OrderRow");
        assertThat(report(reports, "REST resources of")).contains("bad.messaging.OrderEvents");
        assertThat(report(reports, "only " + BAD + ".messaging talks to Kafka")).contains("ProducerRecord");
        assertThat(report(reports, "the layers of")).contains("Cycle");
    }

    @Test
    void given_no_classes_under_the_package_then_check_fails_instead_of_passing_vacuously() {
        assertThatCode(() -> ServiceArchitecture.check("io.updraft.nothing.here")).isInstanceOf(AssertionError.class);
    }

    private static String report(Map<String, String> reports, String descriptionStart) {
        return reports.entrySet().stream().filter(e -> e.getKey().startsWith(descriptionStart))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no rule described as " + descriptionStart + "…"));
    }
}
