package io.updraft.telemetry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.updraft.events.RollbackEvent.Evidence;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.domain.RollbackDecision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;
import java.util.List;

@ApplicationScoped
public class RollbackDecisionRepository implements PanacheRepositoryBase<RollbackDecision, CohortKey> {

    /**
     * The primary key (tenant, rollout, cohort) makes this the one place where the decision is taken: of any number of
     * concurrent reports, replicas and redeliveries exactly one insert wins.
     *
     * @return true if this transaction took the decision
     */
    @Transactional(TxType.MANDATORY)
    public boolean decideOnce(CohortKey key, String reason, Evidence evidence) {
        return getEntityManager().createNativeQuery("""
                insert into rollback_decision (rollout_id, cohort, reason, decided_at, succeeded, failed, failure_rate,
                    failure_rate_threshold, min_sample_size, window_start, window_end, rule, devices_counted,
                    devices_judged, observed, rule_limit, tenant_id)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?4, ?11, ?12, ?13, ?14, ?15, ?16)
                on conflict (tenant_id, rollout_id, cohort) do nothing
                """)
                .setParameter(1, key.rolloutId)
                .setParameter(2, key.cohort)
                .setParameter(3, reason)
                .setParameter(4, evidence.windowEnd())
                .setParameter(5, evidence.succeeded())
                .setParameter(6, evidence.failed())
                .setParameter(7, evidence.failureRate())
                .setParameter(8, evidence.threshold())
                .setParameter(9, evidence.minSampleSize())
                .setParameter(10, evidence.windowStart())
                .setParameter(11, evidence.rule())
                .setParameter(12, evidence.devicesCounted())
                .setParameter(13, evidence.devicesJudged())
                .setParameter(14, evidence.observed())
                .setParameter(15, evidence.limit())
                .setParameter(16, key.tenantId)
                .executeUpdate() == 1;
    }

    public List<RollbackDecision> ofRollout(String tenant, String rolloutId) {
        return list("id.tenantId = ?1 and id.rolloutId = ?2", Sort.by("decidedAt").and("id.cohort"), tenant,
                rolloutId);
    }

    public List<RollbackDecision> latest(String tenant, int limit) {
        return find("id.tenantId = ?1", Sort.by("decidedAt", Sort.Direction.Descending), tenant).page(0, limit)
                .list();
    }
}
