package io.updraft.telemetry.messaging.streams;

import io.updraft.telemetry.domain.Figures;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Health reports of one rollout × cohort × wave × release window that the device tracker has added up and not yet
 * sent on: one {@code HEALTH} signal per window and flush instead of one per report, so the repartition topic and the
 * referee see a handful of records per flush however many devices report. Kept in a state store, so what is pending
 * commits with the input offsets (exactly-once) and survives a restart.
 * <p>
 * <b>Cumulative</b>: the sum is not cleared when sent on; each {@code HEALTH} signal carries the whole sum so far
 * with the offsets of its first and last report, and the referee counts what it holds beyond the sum it counted last.
 * A replay (at-least-once processing) re-adds the same reports in the same order, so a sum sent again with the same
 * last offset is the same sum; whatever the flushes' timing, nothing is counted twice. The tracker retires a window's
 * sum (sends it on, deletes it) once reports of a window some windows later arrive: a decision made from the input
 * alone, so a replay retires at the same report.
 * <p>
 * <b>Mutable</b>: {@link #addReport} adds a report in place (no allocation per report); the tracker puts the same
 * object back into its {@link WriteBackStore}, which serialises it at the next commit. Stored as the identity fields,
 * {@code lastAt}, the {@link Figures}, then the source partition and the first, last and last sent offsets.
 */
public final class PendingHealth {
    static final Serde<PendingHealth> SERDE = CompactSerde.of(PendingHealth.class, (out, p) -> p.write(out),
            PendingHealth::read);

    private final String rolloutId;
    private final String cohort;
    private final int wave;
    private final String release;
    /** The timestamp of the latest report in it (the signal's timestamp: it falls in the same window). */
    private long lastAt;
    private long succeeded;
    private long failed;
    private long healthReports;
    private long unhealthyReports;
    private long bootFailures;
    private long appUnhealthy;
    private long crashes;
    private long heartbeatsReturned;
    private long heartbeatsMissed;
    private final Map<String, MetricSum> metrics = new HashMap<>(4);
    /** The input partition of its reports ({@link CohortSignal#sourceOf}). */
    private int source = CohortSignal.NO_SOURCE;
    /** Offsets of its first and last report, and of the last report in a signal sent on. */
    private long firstOffset = -1;
    private long lastOffset = -1;
    private long sentOffset = -1;

    /** Sum and count of one custom metric. */
    private static final class MetricSum {
        double sum;
        long count;
    }

    public PendingHealth(String rolloutId, String cohort, int wave, String release, long lastAt, Figures figures) {
        this.rolloutId = rolloutId;
        this.cohort = cohort;
        this.wave = wave;
        this.release = release;
        this.lastAt = lastAt;
        add(figures);
    }

    static PendingHealth none(DeviceState device, long at, int source, long firstOffset) {
        PendingHealth pending = new PendingHealth(device.rolloutId(), device.cohort(), device.wave(), device.release(),
                at, Figures.NONE);
        pending.source = source;
        pending.firstOffset = firstOffset;
        return pending;
    }

    /** Adds one report, at {@code offset} of the sum's input partition, in place (see the other). */
    void addReport(long at, long offset, boolean bootOk, boolean appHealthy, int crashCount,
            Map<String, Double> reported) {
        lastOffset = offset;
        addReport(at, bootOk, appHealthy, crashCount, reported);
    }

    /** Whether the report at {@code offset} of input partition {@code source} is in the sum already. */
    boolean holds(int source, long offset) {
        return source != CohortSignal.NO_SOURCE && source == this.source && offset <= lastOffset;
    }

    /** Whether it holds a report no signal sent on held yet. */
    boolean unsent() {
        return lastOffset > sentOffset;
    }

    /** Its signal was sent on. */
    void sent() {
        sentOffset = lastOffset;
    }

    /** The start of its health window. */
    long windowStart(long windowMillis) {
        return lastAt - Math.floorMod(lastAt, windowMillis);
    }

    /**
     * Adds one report in place: a report is unhealthy if it failed to boot or its app is unhealthy; crashes below 0
     * count 0; a metric counts only with a finite value.
     */
    void addReport(long at, boolean bootOk, boolean appHealthy, int crashCount, Map<String, Double> reported) {
        lastAt = Math.max(lastAt, at);
        healthReports++;
        if (!bootOk || !appHealthy) {
            unhealthyReports++;
        }
        if (!bootOk) {
            bootFailures++;
        }
        if (!appHealthy) {
            appUnhealthy++;
        }
        crashes += Math.max(0, crashCount);
        if (reported != null && !reported.isEmpty()) {
            for (Map.Entry<String, Double> metric : reported.entrySet()) {
                Double value = metric.getValue();
                if (value != null && Double.isFinite(value)) {
                    MetricSum sum = metrics.get(metric.getKey());
                    if (sum == null) {
                        sum = new MetricSum();
                        metrics.put(metric.getKey(), sum);
                    }
                    sum.sum += value;
                    sum.count++;
                }
            }
        }
    }

    private void add(Figures figures) {
        succeeded += figures.succeeded();
        failed += figures.failed();
        healthReports += figures.healthReports();
        unhealthyReports += figures.unhealthyReports();
        bootFailures += figures.bootFailures();
        appUnhealthy += figures.appUnhealthy();
        crashes += figures.crashes();
        heartbeatsReturned += figures.heartbeatsReturned();
        heartbeatsMissed += figures.heartbeatsMissed();
        figures.metricSums().forEach((name, value) -> metrics.computeIfAbsent(name, n -> new MetricSum()).sum += value);
        figures.metricCounts().forEach((name, n) -> metrics.computeIfAbsent(name, m -> new MetricSum()).count += n);
    }

    public String rolloutId() {
        return rolloutId;
    }

    public String cohort() {
        return cohort;
    }

    public int wave() {
        return wave;
    }

    public String release() {
        return release;
    }

    public long lastAt() {
        return lastAt;
    }

    /** What the reports add up to (a copy). */
    public Figures reports() {
        Map<String, Double> sums = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        metrics.forEach((name, metric) -> {
            sums.put(name, metric.sum);
            counts.put(name, metric.count);
        });
        return new Figures(succeeded, failed, healthReports, unhealthyReports, bootFailures, appUnhealthy, crashes,
                heartbeatsReturned, heartbeatsMissed, 0, 0, sums, counts);
    }

    CohortSignal signal() {
        return CohortSignal.health(rolloutId, cohort, wave, release, reports()).from(source, firstOffset, lastOffset);
    }

    private void write(DataOutput out) throws IOException {
        CompactSerde.writeString(out, rolloutId);
        CompactSerde.writeString(out, cohort);
        out.writeInt(wave);
        CompactSerde.writeString(out, release);
        out.writeLong(lastAt);
        CompactSerde.writeFigures(out, reports());
        out.writeInt(source);
        out.writeLong(firstOffset);
        out.writeLong(lastOffset);
        out.writeLong(sentOffset);
    }

    private static PendingHealth read(DataInput in) throws IOException {
        PendingHealth pending = new PendingHealth(CompactSerde.readString(in), CompactSerde.readString(in),
                in.readInt(), CompactSerde.readString(in), in.readLong(), CompactSerde.readFigures(in));
        pending.source = in.readInt();
        pending.firstOffset = in.readLong();
        pending.lastOffset = in.readLong();
        pending.sentOffset = in.readLong();
        return pending;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PendingHealth that && wave == that.wave && lastAt == that.lastAt
                && source == that.source && firstOffset == that.firstOffset && lastOffset == that.lastOffset
                && sentOffset == that.sentOffset
                && Objects.equals(rolloutId, that.rolloutId) && Objects.equals(cohort, that.cohort)
                && Objects.equals(release, that.release) && reports().equals(that.reports());
    }

    @Override
    public int hashCode() {
        return Objects.hash(rolloutId, cohort, wave, release, lastAt, healthReports, crashes);
    }

    @Override
    public String toString() {
        return "PendingHealth[" + rolloutId + "|" + cohort + "|" + wave + "|" + release + ", lastAt=" + lastAt + ", "
                + reports() + "]";
    }
}
