package io.updraft.testsupport;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where an entity keeps its tenant (ADR 0021 decision 2), read from its mapping: a field annotated with Hibernate's
 * {@code @TenantId}, a field mapped to column {@code tenant_id} ({@code @Column(name = "tenant_id")}, or named
 * {@code tenantId} without a column name — Quarkus' default naming makes it {@code tenant_id}), on the entity, its
 * superclasses or the type of its {@code @EmbeddedId}.
 */
final class TenantMapping {
    static final String TENANT_ID = "org.hibernate.annotations.TenantId";
    private static final String COLUMN = "jakarta.persistence.Column";
    private static final String EMBEDDED_ID = "jakarta.persistence.EmbeddedId";

    private TenantMapping() {
    }

    /**
     * Every entity maps its tenant; where the service lets Hibernate filter by tenant (some entity has
     * {@code @TenantId}), every entity has {@code @TenantId} itself, because Hibernate's filter skips the others.
     */
    static ArchCondition<JavaClass> mapTheirTenant() {
        return new ArchCondition<>("map their tenant") {
            private boolean discriminator;

            @Override
            public void init(Collection<JavaClass> entities) {
                discriminator = entities.stream().anyMatch(e -> tenantField(e).filter(TenantMapping::isTenantId).isPresent());
            }

            @Override
            public void check(JavaClass entity, ConditionEvents events) {
                Optional<JavaField> field = tenantField(entity);
                if (field.isEmpty()) {
                    events.add(SimpleConditionEvent.violated(entity, entity.getName()
                            + " maps no tenant: no @TenantId and no tenant_id column (on it or its @EmbeddedId); "
                            + "name it platform-wide in the service's ArchitectureTest if it belongs to no tenant"));
                } else if (discriminator && !isTenantId(field.get())) {
                    events.add(SimpleConditionEvent.violated(entity, entity.getName() + "." + field.get().getName()
                            + " is a tenant column without @TenantId, in a service where Hibernate filters by tenant: "
                            + "its queries would see every tenant's rows"));
                } else {
                    events.add(SimpleConditionEvent.satisfied(entity, entity.getName() + " maps its tenant"));
                }
            }
        };
    }

    /** Named platform-wide but not an entity of the service, or mapping a tenant after all. */
    static List<String> staleExceptions(JavaClasses classes, Set<String> platformWide) {
        List<String> stale = new ArrayList<>();
        for (String name : new TreeSet<>(platformWide)) {
            if (!classes.contain(name) || !classes.get(name).isAnnotatedWith(ServiceArchitecture.ENTITY)) {
                stale.add(name + " is named platform-wide but is no entity of the service");
            } else if (tenantField(classes.get(name)).isPresent()) {
                stale.add(name + " is named platform-wide but maps a tenant");
            }
        }
        return stale;
    }

    static Optional<JavaField> tenantField(JavaClass entity) {
        for (JavaField field : entity.getAllFields()) {
            if (isTenantId(field) || mapsTenantColumn(field)) {
                return Optional.of(field);
            }
        }
        for (JavaField field : entity.getAllFields()) {
            if (field.isAnnotatedWith(EMBEDDED_ID)) {
                for (JavaField key : field.getRawType().getAllFields()) {
                    if (mapsTenantColumn(key)) {
                        return Optional.of(key);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isTenantId(JavaField field) {
        return field.isAnnotatedWith(TENANT_ID);
    }

    private static boolean mapsTenantColumn(JavaField field) {
        String column = field.isAnnotatedWith(COLUMN)
                ? String.valueOf(field.getAnnotationOfType(COLUMN).get("name").orElse(""))
                : "";
        return column.isEmpty() ? field.getName().equals("tenantId") : column.equalsIgnoreCase("tenant_id");
    }
}
