package io.updraft.telemetry.messaging.streams;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.MalformedEventException;
import io.updraft.events.UpdraftEvent;
import io.updraft.telemetry.domain.Figures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Per device (device-reports and device-telemetry are co-partitioned by device id): which rollout, wave, cohort and
 * release its health speaks for, learnt from its ActionFinished; turns its reports into {@link CohortSignal}s keyed
 * {@code rolloutId|cohort}. Install results and heartbeats go on at once; health reports are added up per cohort
 * window in a store ({@link PendingHealth}) and sent on by a wall-clock punctuator, one signal per window per flush.
 * A device that installed successfully and is not heard from is signalled at each silence checkpoint (every
 * {@code heartbeatStep} after its install, up to {@code maxSilence}) by another wall-clock punctuator; the referee
 * counts it silent at the first checkpoint past its rollout's silence. Health reports on the installed release also
 * go on per device, at once: a failed boot, the device turning unhealthy, and each crash report (with the device's
 * crash log, so the referee can tell a crash loop by its rollout's rule).
 *
 * <p>Tenants (ADR 0021): a device is one tenant's (its event's {@code tenant}); its state and heartbeat are kept under
 * its {@link ScopedIds scoped id} {@code TENANT/deviceId} and its rollout is the scoped {@code TENANT/rolloutId}, so
 * two tenants' devices with the same id and hardware never share a state, a cohort or a window. DEFAULT's are bare.
 */
class DeviceTracker implements Processor<byte[], byte[], String, CohortSignal> {
    private static final Logger LOG = Logger.getLogger(DeviceTracker.class);

    /** Keys of cohort windows remembered (a pure function of the window: any number is right, this bounds memory). */
    private static final int PENDING_KEYS_KEPT = 10_000;
    /**
     * A window's pending sum is retired (sent on, deleted) once a report of a window this many windows later arrives;
     * a report later still for it starts a new sum (counted as such by the referee).
     */
    static final int WINDOWS_KEPT = 6;

    private final TopologySettings settings;
    private final long windowMillis;
    /** The pending-health store key of each cohort window: built once per window, not per report. */
    private final Map<CohortWindow, String> pendingKeys = new HashMap<>();
    private ProcessorContext<String, CohortSignal> context;
    /** A {@link WriteBackStore}: device states as objects, written to RocksDB and the changelog at commits. */
    private KeyValueStore<String, DeviceState> devices;
    private KeyValueStore<String, HeartbeatDue> heartbeats;
    /** A mirrored {@link WriteBackStore}: every pending sum as an object, changed in place per report. */
    private KeyValueStore<String, PendingHealth> pendingHealth;
    /** The input record being processed: its partition ({@link CohortSignal#sourceOf}), offset, signals sent so far. */
    private int source = CohortSignal.NO_SOURCE;
    private long offset;
    private int signalIndex;
    /**
     * The latest health window a report fell in (when to look for sums to retire), kept in the pending-health store
     * under {@link #LATEST_WINDOW} so that it commits with the sums: a replay retires at the same report.
     */
    private long latestWindow = Long.MIN_VALUE;
    static final String LATEST_WINDOW = "\u0000latest-window";

    DeviceTracker(TopologySettings settings) {
        this.settings = settings;
        this.windowMillis = settings.window().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, CohortSignal> context) {
        this.context = context;
        this.devices = context.getStateStore(HealthTopology.DEVICE_STORE);
        this.heartbeats = context.getStateStore(HealthTopology.HEARTBEAT_STORE);
        this.pendingHealth = context.getStateStore(HealthTopology.PENDING_HEALTH_STORE);
        this.latestWindow = Long.MIN_VALUE; // read from the store again: a revived task starts from its last commit
        context.schedule(settings.heartbeatCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::missedHeartbeats);
        context.schedule(settings.healthFlushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushHealth);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        source = metadata == null ? CohortSignal.NO_SOURCE
                : CohortSignal.sourceOf(metadata.topic().equals(settings.deviceTelemetry())
                        ? CohortSignal.SourceTopic.DEVICE_TELEMETRY : CohortSignal.SourceTopic.DEVICE_REPORTS,
                        metadata.partition());
        offset = metadata == null ? 0 : metadata.offset();
        signalIndex = 0;
        UpdraftEvent event;
        try {
            event = read(record);
        } catch (MalformedEventException e) {
            // the SmallRye consumer of the same topic parks it on <topic>.dlq; here it just says nothing
            LOG.debugf("skipping unreadable record: %s", e.getMessage());
            return;
        }
        if (!(event instanceof ActionFinished || event instanceof HealthReported || event instanceof DeviceSeen)) {
            return; // registrations, attributes, progress, cancels and versions change nothing the rules judge
        }
        String tenant;
        try {
            tenant = DeviceEvents.tenant(record.value());
        } catch (MalformedEventException e) {
            // a "tenant" that is no tenant id: parked by the SmallRye consumer too
            LOG.debugf("skipping a record of no tenant: %s", e.getMessage());
            return;
        }
        if (event instanceof ActionFinished finished) {
            finished(record, tenant, finished);
        } else if (event instanceof HealthReported health) {
            String deviceKey = ScopedIds.of(tenant, health.deviceId());
            DeviceState device = stateOf(deviceKey);
            update(deviceKey, device, reported(record, heardFrom(record, deviceKey, device), health));
        } else if (event instanceof DeviceSeen seen) {
            String deviceKey = ScopedIds.of(tenant, seen.deviceId());
            DeviceState device = stateOf(deviceKey);
            update(deviceKey, device, heardFrom(record, deviceKey, device));
        }
    }

    private UpdraftEvent read(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(settings.deviceReports());
        // straight from the record's bytes, with readers bound to each topic's contract (DeviceEvents)
        return topic.equals(settings.deviceTelemetry()) ? DeviceEvents.telemetry(record.value())
                : DeviceEvents.report(record.value());
    }

    private void finished(Record<byte[], byte[]> record, String tenant, ActionFinished finished) {
        if (finished.outcome() == null) {
            return;
        }
        String deviceId = ScopedIds.of(tenant, finished.deviceId());
        DeviceState device = stateOf(deviceId);
        if (finished.rollback() || finished.rolloutId() == null || finished.rolloutId().isBlank()) {
            // back on what it ran before, or outside any rollout: its health speaks for no rollout
            update(deviceId, device, device.detached());
            heartbeats.delete(deviceId);
            return;
        }
        if (device.counted(finished.actionId())) {
            return; // the same result published again under a new event id
        }
        String cohort = finished.cohort() == null || finished.cohort().isBlank()
                ? HardwareCompatibility.cohortOf(null, null) : finished.cohort();
        DeviceState target = device.runs(ScopedIds.of(tenant, finished.rolloutId()), cohort, finished.wave(),
                finished.version());
        if (finished.outcome() == Outcome.SUCCESS) {
            if (device.reportsOnRelease() > 0) {
                forward(record, CohortSignal.baseline(target, device.reportsOnRelease(), device.crashesOnRelease()));
            }
            forward(record, CohortSignal.of(CohortSignal.Kind.INSTALL_SUCCEEDED, target));
            update(deviceId, device, target.withCounted(finished.actionId()).awaitingHeartbeat(true));
            long now = context.currentSystemTimeMs();
            heartbeats.put(deviceId, new HeartbeatDue(target.rolloutId(), cohort, target.wave(), target.release(),
                    now + settings.heartbeatStep().toMillis(), now, 0));
        } else {
            // still on its previous release: its health keeps counting for that one; a failure after the device had
            // installed the image is SWUpdate's report that the new image did not boot
            forward(record, CohortSignal.of(finished.afterInstalled() ? CohortSignal.Kind.INSTALL_BOOT_FAILED
                    : CohortSignal.Kind.INSTALL_FAILED, target));
            update(deviceId, device, device.withCounted(finished.actionId()));
        }
    }

    /** @return the device, no longer awaiting a heartbeat */
    private DeviceState heardFrom(Record<byte[], byte[]> record, String deviceId, DeviceState device) {
        // most reports come from devices not awaited: the device's own state says so, no read of the heartbeat store
        if (!device.awaitingHeartbeat()) {
            return device;
        }
        HeartbeatDue due = heartbeats.get(deviceId);
        if (due != null) {
            heartbeats.delete(deviceId);
            forward(record, CohortSignal.heartbeat(CohortSignal.Kind.HEARTBEAT_RETURNED, due,
                    Math.max(0, context.currentSystemTimeMs() - due.installedAt()), due.checkpoints(),
                    CohortSignal.deviceOf(deviceId)));
        }
        return device.awaitingHeartbeat(false);
    }

    /** Adds the report to its cohort window's pending health; @return the device with the report counted */
    private DeviceState reported(Record<byte[], byte[]> record, DeviceState device, HealthReported health) {
        if (device.attributed()) {
            long at = record.timestamp();
            long window = at - Math.floorMod(at, windowMillis);
            if (latestWindow == Long.MIN_VALUE) {
                PendingHealth latest = pendingHealth.get(LATEST_WINDOW);
                latestWindow = latest == null ? Long.MIN_VALUE + 1 : latest.lastAt();
            }
            if (window > latestWindow) {
                latestWindow = window;
                pendingHealth.put(LATEST_WINDOW, new PendingHealth(null, null, 0, null, window, Figures.NONE));
                retireBefore(window - WINDOWS_KEPT * windowMillis);
            }
            String key = pendingKeys.computeIfAbsent(new CohortWindow(device.rolloutId(), device.cohort(),
                    device.wave(), device.release(), window), CohortWindow::key);
            if (pendingKeys.size() > PENDING_KEYS_KEPT) {
                pendingKeys.clear(); // windows long flushed
            }
            PendingHealth pending = pendingHealth.get(key);
            if (pending == null) {
                pending = PendingHealth.none(device, at, source, offset);
            }
            // a report at or below the sum's last one is in it already (at-least-once: a sum saved ahead of the
            // committed offsets, and the input replayed)
            if (!pending.holds(source, offset)) {
                pending.addReport(at, offset, health.bootOk(), health.appHealthy(), health.crashCount(),
                        health.metrics());
                pendingHealth.put(key, pending); // the same object, changed: written back at the next commit
            }
            // per device, at once and once: the rules that count devices need no baseline and no flush
            DeviceState after = device.reportedOnRelease(at, health.bootOk(), health.appHealthy(),
                    health.crashCount());
            if (after.bootFailed() && !device.bootFailed()) {
                forward(record, CohortSignal.of(CohortSignal.Kind.BOOT_FAILED_REPORTED, after));
            }
            if (after.unhealthy() != device.unhealthy() || after.crashLog() != device.crashLog()) {
                forward(record, CohortSignal.deviceHealth(device, after));
            }
            device = after;
        }
        return device.withHealth(health.crashCount());
    }

    /** One rollout × cohort × wave × release health window, starting at {@code start} (epoch millis). */
    private record CohortWindow(String rolloutId, String cohort, int wave, String release, long start) {
        String key() {
            return CohortSignal.keyOf(rolloutId, cohort) + "|" + wave + "|" + release + "|" + start;
        }
    }

    /** Sends on each sum that holds reports not yet sent on (the whole sum: the referee counts what is new). */
    private void flushHealth(long now) {
        List<KeyValue<String, PendingHealth>> due = new ArrayList<>();
        try (KeyValueIterator<String, PendingHealth> all = pendingHealth.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.unsent()) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<String, PendingHealth> entry : due) {
            sendOn(entry.value);
            pendingHealth.put(entry.key, entry.value); // changed (sent): written back at the next commit
        }
    }

    /** Sends on and deletes the sums of windows before {@code windowStart}: decided by the input, not the clock. */
    private void retireBefore(long windowStart) {
        List<KeyValue<String, PendingHealth>> old = new ArrayList<>();
        try (KeyValueIterator<String, PendingHealth> all = pendingHealth.all()) {
            all.forEachRemaining(entry -> {
                if (!entry.key.equals(LATEST_WINDOW) && entry.value.windowStart(windowMillis) < windowStart) {
                    old.add(entry);
                }
            });
        }
        for (KeyValue<String, PendingHealth> entry : old) {
            if (entry.value.unsent()) {
                sendOn(entry.value);
            }
            pendingHealth.delete(entry.key);
        }
    }

    private void sendOn(PendingHealth pending) {
        CohortSignal signal = pending.signal();
        context.forward(new Record<>(signal.cohortKey(), signal, pending.lastAt()));
        pending.sent();
    }

    private void missedHeartbeats(long now) {
        List<KeyValue<String, HeartbeatDue>> missed = new ArrayList<>();
        try (KeyValueIterator<String, HeartbeatDue> all = heartbeats.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.dueAt() <= now) {
                    missed.add(entry);
                }
            });
        }
        long step = settings.heartbeatStep().toMillis();
        long lastCheckpoint = Math.max(1, settings.maxSilence().toMillis() / step);
        for (KeyValue<String, HeartbeatDue> entry : missed) {
            HeartbeatDue due = entry.value;
            // every checkpoint passed since the last look at once (a punctuation may come late)
            int passed = (int) Math.min(lastCheckpoint, Math.max(due.checkpoints() + 1,
                    (now - due.installedAt()) / step));
            CohortSignal signal = CohortSignal.heartbeat(CohortSignal.Kind.HEARTBEAT_MISSED, due, passed * step,
                    due.checkpoints(), CohortSignal.deviceOf(entry.key));
            context.forward(new Record<>(signal.cohortKey(), signal, now));
            if (passed >= lastCheckpoint) {
                heartbeats.delete(entry.key); // silent for good: no rule waits longer
                DeviceState device = devices.get(entry.key);
                if (device != null) {
                    update(entry.key, device, device.awaitingHeartbeat(false));
                }
            } else {
                heartbeats.put(entry.key, due.passed(passed, step));
            }
        }
    }

    /** Writes the device's state only if its content changed (an unknown device that stays unknown: nothing). */
    private void update(String deviceId, DeviceState before, DeviceState after) {
        if (!after.equals(before)) {
            devices.put(deviceId, after);
        }
    }

    private DeviceState stateOf(String deviceId) {
        DeviceState state = devices.get(deviceId);
        return state == null ? DeviceState.UNKNOWN : state;
    }

    /** Sends a signal of the record being processed, with its position (a replay sends it with the same one). */
    private void forward(Record<byte[], byte[]> record, CohortSignal signal) {
        CohortSignal positioned = source == CohortSignal.NO_SOURCE ? signal
                : signal.from(source, CohortSignal.positionOf(offset, signalIndex++));
        context.forward(record.withKey(signal.cohortKey()).withValue(positioned));
    }
}
