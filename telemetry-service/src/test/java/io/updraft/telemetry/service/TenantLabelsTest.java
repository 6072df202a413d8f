package io.updraft.telemetry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.domain.CohortStats;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ADR 0021 decision 6: a tenant label in multi mode only, and never more than max-tenants values plus "other". */
class TenantLabelsTest {

    @Test
    void given_single_mode_when_tagging_then_no_tenant_label_at_all() {
        TenantLabels labels = new TenantLabels(false, 20);

        assertThat(labels.tag(Tags.of("rollout", "r1"), "DEFAULT")).containsExactly(Tag.of("rollout", "r1"));
        assertThat(labels.tag(Tags.of("rollout", "r1"), "ACME")).containsExactly(Tag.of("rollout", "r1"));
    }

    @Test
    void given_multi_mode_when_more_tenants_than_the_bound_report_then_the_later_ones_share_other() {
        TenantLabels labels = new TenantLabels(true, 3);
        labels.meet(List.of("GLOBEX", "ACME"));
        labels.meet(List.of("INITECH", "DEFAULT", "UMBRELLA"));

        assertThat(labels.labelOf("ACME")).isEqualTo("ACME");
        assertThat(labels.labelOf("GLOBEX")).isEqualTo("GLOBEX");
        // of the second refresh's three new tenants one fits, the first by id
        assertThat(labels.labelOf("DEFAULT")).isEqualTo("DEFAULT");
        assertThat(labels.labelOf("INITECH")).isEqualTo(TenantLabels.OTHER);
        assertThat(labels.labelOf("UMBRELLA")).isEqualTo(TenantLabels.OTHER);
        // a tenant keeps its label: ACME is still ACME after many others came
        IntStream.range(0, 1000).forEach(i -> labels.labelOf("T" + i));
        assertThat(labels.labelOf("ACME")).isEqualTo("ACME");
        assertThat(labels.tag(Tags.empty(), "T7")).containsExactly(Tag.of("tenant", "other"));
    }

    @Test
    void given_a_thousand_tenants_on_the_gauge_then_its_tenant_label_has_at_most_max_plus_one_values() {
        TenantLabels labels = new TenantLabels(true, 20);
        List<CohortStats> cohorts = IntStream.range(0, 1000).mapToObj(i -> stats("T" + i, "rollout-" + i, "c:1"))
                .toList();
        labels.meet(cohorts.stream().map(c -> c.id.tenantId).toList());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MultiGauge.builder("updraft.cohort.failure.rate").register(registry)
                .register(FailureRateGauge.rows(labels, cohorts), true);

        Set<String> tenants = registry.find("updraft.cohort.failure.rate").gauges().stream()
                .map(g -> g.getId().getTag("tenant")).collect(Collectors.toSet());
        assertThat(tenants).hasSize(21).contains(TenantLabels.OTHER);
        assertThat(registry.find("updraft.cohort.failure.rate").gauges()).hasSize(1000);
    }

    @Test
    void given_two_folded_tenants_with_the_same_rollout_and_cohort_then_one_series_stands_for_them() {
        TenantLabels labels = new TenantLabels(true, 0);
        List<MultiGauge.Row<?>> rows = FailureRateGauge.rows(labels,
                List.of(stats("ACME", "r1", "c:1"), stats("GLOBEX", "r1", "c:1"), stats("GLOBEX", "r2", "c:1")));

        assertThat(rows).hasSize(2);
    }

    private static CohortStats stats(String tenant, String rollout, String cohort) {
        CohortStats stats = new CohortStats();
        stats.id = new CohortKey(tenant, rollout, cohort);
        stats.succeeded = 3;
        stats.failed = 1;
        return stats;
    }
}
