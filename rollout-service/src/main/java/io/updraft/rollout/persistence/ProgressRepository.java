package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.ActionTally;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout's action counts and progress over time, aggregated in PostgreSQL in one statement: one scan of the
 * rollout's {@code device_action} rows into a hash aggregate per wave × cohort × kind × state × creation bucket × end
 * bucket ({@code date_bin}; a few thousand groups at most in practice), then {@code grouping sets} over that small
 * result — so the counts and the series come from one snapshot and a million actions return a few hundred rows.
 * (Grouping sets straight over the rows made PostgreSQL sort the million rows on disk: 3–6 s instead of 1.5 s.)
 */
@ApplicationScoped
public class ProgressRepository {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /**
     * @param from start of bucket 0
     * @param bucket width of a bucket
     * @param lastBucket index of the last bucket: times before {@code from} count in bucket 0, after it in this one
     */
    public ActionTally tally(String rolloutId, Instant from, Duration bucket, int lastBucket) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                with a as (
                    select wave, cohort, rollback, state,
                           case when not rollback
                               then date_bin(?3 * interval '1 millisecond', created_at, cast(?2 as timestamptz))
                           end as sent_bucket,
                           case when not rollback and state in ('SUCCEEDED', 'FAILED')
                               then date_bin(?3 * interval '1 millisecond', updated_at, cast(?2 as timestamptz))
                           end as end_bucket,
                           count(*) as n
                    from device_action where rollout_id = ?1 and tenant_id = ?4
                    group by 1, 2, 3, 4, 5, 6)
                select grouping(sent_bucket), grouping(end_bucket), wave, cohort, rollback, state, sent_bucket,
                       end_bucket, sum(n)
                from a
                group by grouping sets ((wave, cohort, rollback, state), (sent_bucket), (state, end_bucket))""")
                .setParameter(1, rolloutId).setParameter(2, from).setParameter(3, bucket.toMillis())
                .setParameter(4, tenants.current()).getResultList();
        List<ActionTally.Cell> cells = new ArrayList<>();
        Map<Integer, Long> dispatched = new HashMap<>();
        Map<Integer, Long> succeeded = new HashMap<>();
        Map<Integer, Long> failed = new HashMap<>();
        for (Object[] row : rows) {
            boolean bySent = number(row[0]) == 0;
            boolean byEnd = number(row[1]) == 0;
            long count = number(row[8]);
            if (bySent) {
                if (row[6] != null) {
                    dispatched.merge(index(row[6], from, bucket, lastBucket), count, Long::sum);
                }
            } else if (byEnd) {
                if (row[7] != null) {
                    Map<Integer, Long> ended = "SUCCEEDED".equals(row[5]) ? succeeded : failed;
                    ended.merge(index(row[7], from, bucket, lastBucket), count, Long::sum);
                }
            } else {
                cells.add(new ActionTally.Cell((int) number(row[2]), (String) row[3], (Boolean) row[4],
                        ActionState.valueOf((String) row[5]), count));
            }
        }
        return new ActionTally(List.copyOf(cells), dispatched, succeeded, failed);
    }

    /** The bucket a {@code date_bin} start falls in, within 0 .. lastBucket. */
    private static int index(Object binStart, Instant from, Duration bucket, int lastBucket) {
        // a bin starts a whole number of buckets after from: rounded, so a microsecond of rounding cannot shift it
        long width = bucket.toMillis();
        long offset = Math.floorDiv(Duration.between(from, HealthGateWindows.instant(binStart)).toMillis() + width / 2, width);
        return (int) Math.max(0, Math.min(lastBucket, offset));
    }


    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
