package io.updraft.testsupport;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one shape every service has, as ArchUnit rules. Under a service's base package ({@code io.updraft.rollout}):
 *
 * <ul>
 * <li>{@code api}: REST resources and their request and response types. Nothing depends on it.</li>
 * <li>{@code service}: the use cases; transactions start here. Called by {@code api} and {@code messaging}.</li>
 * <li>{@code domain}: entities, state machines, decisions. Depends on nothing else in the service.</li>
 * <li>{@code persistence}: every SQL statement and repository. Only {@code service} and {@code messaging} call it.
 * </li>
 * <li>{@code messaging}: Kafka consumers, producers and topologies.</li>
 * <li>{@code config}: configuration mappings; it may know the domain and nothing else.</li>
 * </ul>
 *
 * <p>The base package itself holds nothing. Each rule's description says what it forbids; a failing check lists every
 * offending dependency.
 *
 * <p>Tenants (ADR 0021 decision 2): every entity maps its tenant — a {@code tenant_id} column on the entity or in its
 * embedded id — unless the service's architecture test names it platform-wide; and in a service that lets Hibernate
 * filter by tenant ({@code @TenantId} on an entity), every entity carries {@code @TenantId}, since the discriminator
 * filters only those. A new table's entity that forgets its tenant fails the build.
 */
public final class ServiceArchitecture {
    static final String ENTITY = "jakarta.persistence.Entity";
    public static final List<String> LAYERS = List.of("api", "service", "domain", "persistence", "messaging", "config");

    /** Types whose use means "SQL is being issued here". */
    private static final Set<String> SQL_TYPES = Set.of("jakarta.persistence.EntityManager",
            "jakarta.persistence.Query", "jakarta.persistence.TypedQuery", "jakarta.persistence.StoredProcedureQuery",
            "org.hibernate.Session", "org.hibernate.StatelessSession", "java.sql.Connection",
            "java.sql.PreparedStatement", "java.sql.Statement", "java.sql.ResultSet", "javax.sql.DataSource");
    private static final String[] SQL_PACKAGES = { "io.agroal..", "io.quarkus.hibernate.orm.panache..",
        "org.hibernate.query..", "jakarta.persistence.criteria.." };

    private ServiceArchitecture() {
    }

    /** The service's main classes (tests excluded). */
    public static JavaClasses importService(String basePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    public static List<ArchRule> rules(String basePackage) {
        return rules(basePackage, Set.of());
    }

    /**
     * @param platformWide the entities (class names) that belong to no tenant, e.g. the tenant registry itself; every
     *            other entity must map its tenant
     */
    public static List<ArchRule> rules(String basePackage, Set<String> platformWide) {
        String base = basePackage + ".";
        return List.of(
                layeredArchitecture().consideringOnlyDependenciesInLayers()
                        .layer("api").definedBy(base + "api..")
                        .layer("service").definedBy(base + "service..")
                        .layer("domain").definedBy(base + "domain..")
                        .layer("persistence").definedBy(base + "persistence..")
                        .layer("messaging").definedBy(base + "messaging..")
                        .layer("config").definedBy(base + "config..")
                        .whereLayer("api").mayNotBeAccessedByAnyLayer()
                        .whereLayer("service").mayOnlyBeAccessedByLayers("api", "messaging")
                        .whereLayer("messaging").mayOnlyBeAccessedByLayers("service")
                        .whereLayer("persistence").mayOnlyBeAccessedByLayers("service", "messaging")
                        .whereLayer("domain").mayOnlyAccessLayers("domain")
                        .whereLayer("persistence").mayOnlyAccessLayers("persistence", "domain", "config")
                        .whereLayer("config").mayOnlyAccessLayers("config", "domain")
                        .as("layers of " + basePackage + ": api -> service -> domain; service and messaging -> "
                                + "persistence -> domain; nothing depends on api; the domain depends on nothing"),
                classes().that().resideInAPackage(basePackage + "..")
                        .should().resideInAnyPackage(LAYERS.stream().map(layer -> base + layer + "..")
                                .toArray(String[]::new))
                        .as("every class of " + basePackage + " lives in one of the layers " + LAYERS),
                noClasses().that().resideInAPackage(basePackage + "..")
                        .and().resideOutsideOfPackage(base + "persistence..")
                        .should().dependOnClassesThat(issueSql())
                        .as("only " + base + "persistence issues SQL (EntityManager, JDBC, Panache, Agroal)"),
                classes().that().areAnnotatedWith("jakarta.persistence.Entity")
                        .should().resideInAPackage(base + "domain..")
                        .allowEmptyShould(true)
                        .as("entities of " + basePackage + " live in its domain"),
                classes().that().areAnnotatedWith("jakarta.ws.rs.Path")
                        .should().resideInAPackage(base + "api..")
                        .allowEmptyShould(true)
                        .as("REST resources of " + basePackage + " live in its api"),
                noClasses().that().resideOutsideOfPackage(base + "messaging..")
                        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..",
                                "org.eclipse.microprofile.reactive.messaging..", "io.smallrye.reactive.messaging..")
                        .as("only " + base + "messaging talks to Kafka"),
                slices().matching(base + "(*)..").should().beFreeOfCycles()
                        .as("the layers of " + basePackage + " have no dependency cycles"),
                classes().that().resideInAPackage(basePackage + "..").and().areAnnotatedWith(ENTITY)
                        .and(notNamedIn(platformWide))
                        .should(TenantMapping.mapTheirTenant())
                        .allowEmptyShould(true)
                        .as("entities of " + basePackage + " map their tenant (a tenant_id column, @TenantId where "
                                + "Hibernate filters by tenant) unless named platform-wide " + new TreeSet<>(platformWide)));
    }

    /** Checks every rule and fails with all violations of all rules at once. */
    public static void check(String basePackage) {
        check(basePackage, Set.of());
    }

    /**
     * Checks every rule, with {@code platformWide} the entities that belong to no tenant; each of them must be an entity
     * of the service without a tenant mapping (a stale exception fails too).
     */
    public static void check(String basePackage, Set<String> platformWide) {
        JavaClasses classes = importService(basePackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes under " + basePackage);
        }
        List<String> failures = new ArrayList<>(TenantMapping.staleExceptions(classes, platformWide));
        for (ArchRule rule : rules(basePackage, platformWide)) {
            EvaluationResult result = rule.evaluate(classes);
            if (result.hasViolation()) {
                failures.add(result.getFailureReport().toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n\n", failures));
        }
    }

    private static DescribedPredicate<JavaClass> notNamedIn(Set<String> platformWide) {
        return DescribedPredicate.describe("are not platform-wide", (JavaClass c) -> !platformWide.contains(c.getName()));
    }

    private static DescribedPredicate<JavaClass> issueSql() {
        return DescribedPredicate.describe("issue SQL",
                (JavaClass target) -> SQL_TYPES.contains(target.getName())
                        || resideInAnyPackage(SQL_PACKAGES).test(target));
    }
}
