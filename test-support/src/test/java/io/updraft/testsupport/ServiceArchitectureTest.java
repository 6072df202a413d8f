package io.updraft.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
    void given_entities_with_and_without_their_tenant_then_the_tenant_rule_names_each_one_that_forgot_it() {
        String columns = "io.updraft.testsupport.fixture.tenants.columns";
        String registry = columns + ".domain.Registry";
        String report = tenantReport(columns, Set.of(registry));

        assertThat(report).contains(columns + ".domain.Note maps no tenant")
                .doesNotContain(".domain.Device ").doesNotContain(".CohortStats ").doesNotContain(registry + " ");
        assertThat(tenantReport(columns, Set.of())).as("without the exception the registry forgot its tenant too")
                .contains(registry + " maps no tenant");
    }

    @Test
    void given_a_service_that_lets_hibernate_filter_by_tenant_then_a_tenant_column_without_tenant_id_fails() {
        String discriminator = "io.updraft.testsupport.fixture.tenants.discriminator";
        String report = tenantReport(discriminator, Set.of());

        assertThat(report).contains(discriminator + ".domain.Artifact.tenantId is a tenant column without @TenantId")
                .doesNotContain(".domain.Release");
    }

    @Test
    void given_a_stale_platform_wide_exception_then_check_fails() {
        String columns = "io.updraft.testsupport.fixture.tenants.columns";
        JavaClasses classes = new ClassFileImporter().importPackages(columns);
        assertThat(TenantMapping.staleExceptions(classes, Set.of(columns + ".domain.NotAnEntity",
                columns + ".domain.Device", columns + ".domain.Registry")))
                .containsExactly(columns + ".domain.Device is named platform-wide but maps a tenant",
                        columns + ".domain.NotAnEntity is named platform-wide but is no entity of the service");
    }

    @Test
    void given_no_classes_under_the_package_then_check_fails_instead_of_passing_vacuously() {
        assertThatCode(() -> ServiceArchitecture.check("io.updraft.nothing.here")).isInstanceOf(AssertionError.class);
    }

    /** The tenant rule's failure report on the package ("" when it passes). */
    private static String tenantReport(String basePackage, Set<String> platformWide) {
        JavaClasses classes = new ClassFileImporter().importPackages(basePackage);
        ArchRule rule = ServiceArchitecture.rules(basePackage, platformWide).stream()
                .filter(r -> r.getDescription().startsWith("entities of " + basePackage + " map their tenant"))
                .findFirst().orElseThrow();
        EvaluationResult result = rule.evaluate(classes);
        return result.hasViolation() ? result.getFailureReport().toString() : "";
    }

    private static String report(Map<String, String> reports, String descriptionStart) {
        return reports.entrySet().stream().filter(e -> e.getKey().startsWith(descriptionStart))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no rule described as " + descriptionStart + "…"));
    }
}
