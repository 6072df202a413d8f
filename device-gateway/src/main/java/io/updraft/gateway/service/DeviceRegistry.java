package io.updraft.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.domain.AttributeUpdate;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.domain.DeviceQuotaExceeded;
import io.updraft.gateway.domain.PollView;
import io.updraft.gateway.domain.ReportedAttributes;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.gateway.persistence.DeviceViewStore;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Devices as the gateway knows them: first contact, credentials and attributes. */
@ApplicationScoped
public class DeviceRegistry {
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {
    };

    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    DeviceViewStore store;
    @Inject
    DeviceChanges changes;
    @Inject
    Outbox outbox;
    @Inject
    TenantQuotaBook quotas;

    /**
     * First contact: the device row exists (or is created) and DeviceRegistered is written exactly once. An unknown
     * device that would take its tenant past its device quota is not created ({@link DeviceQuotaExceeded}, 409).
     */
    @Transactional
    public void register(String tenant, String controllerId) {
        Device device = devices.lockOrCreate(tenant, controllerId, maxDevices(tenant));
        if (device.registeredAt != null) {
            return; // another replica registered it a moment ago
        }
        device.registeredAt = Instant.now();
        outbox.append(tenant, new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, tenant, attributesOf(device)));
        changes.changed(tenant, controllerId);
    }

    /**
     * A batch of polls the cache could not answer, in one transaction: every visited device's view is read in one
     * statement (no lock, as a single load); the devices on first contact among them are then registered by one
     * multi-row upsert and read again under the row locks it took. DeviceRegistered goes out exactly once per device,
     * even against another replica or a concurrent {@link #register}, because the upsert re-checks
     * {@code registered_at} under the row lock. Known, registered devices are not locked at all, so the batch never
     * waits for (or deadlocks with) the command consumer.
     *
     * A batch may hold several tenants' devices: they are taken a tenant at a time (in tenant order, so concurrent
     * batches lock rows and take quota locks in the same order), each with its own statements.
     *
     * A tenant with a device quota gets only as many new devices as it has room for, decided under its quota lock
     * in this transaction; each device left out is answered {@link PollView#OVER_QUOTA} (409 at the poll), nothing
     * of it stored or published.
     *
     * @return the view of every known device of the batch, by {@link DeviceKeys device key}, and OVER_QUOTA for the
     *         devices the quota refused
     */
    @Transactional
    public Map<String, PollView> registerAndLoad(List<FirstContactQueue.Visit> visits) {
        Map<String, List<FirstContactQueue.Visit>> byTenant = new TreeMap<>();
        visits.forEach(v -> byTenant.computeIfAbsent(v.tenant(), t -> new ArrayList<>()).add(v));
        Map<String, PollView> views = new HashMap<>();
        byTenant.forEach((tenant, ofTenant) -> {
            Set<String> registering = new HashSet<>();
            ofTenant.stream().filter(FirstContactQueue.Visit::registers)
                    .forEach(v -> registering.add(v.controllerId()));
            Map<String, PollView> tenantViews = new HashMap<>();
            List<String> registered = new ArrayList<>();
            List<UpdraftEvent> events = new ArrayList<>();
            store.loadRegistering(tenant, ofTenant.stream().map(FirstContactQueue.Visit::controllerId)
                    .toArray(String[]::new), registering, maxDevices(tenant), tenantViews, (id, attributes) -> {
                        registered.add(id);
                        events.add(new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                                UpdraftEvent.SCHEMA_VERSION, id, tenant, attributesOf(attributes)));
                    });
            outbox.appendAll(tenant, events);
            changes.changed(tenant, registered);
            tenantViews.forEach((id, view) -> views.put(DeviceKeys.of(tenant, id), view));
        });
        return views;
    }

    /** The device as stored, if known (read without a lock, for the management API). */
    public Optional<Device> find(String tenant, String controllerId) {
        return Optional.ofNullable(devices.byId(tenant, controllerId));
    }

    /** Every action the gateway holds for the tenant's device, newest first. */
    public List<DeviceAction> actionsOf(String tenant, String controllerId) {
        return actions.allOf(tenant, controllerId);
    }

    /** Sets the device's TargetToken; creates an unknown device only within its tenant's device quota (else 409). */
    @Transactional
    public void provisionToken(String tenant, String controllerId, String tokenSha256) {
        Device device = devices.lockOrCreate(tenant, controllerId, maxDevices(tenant));
        device.tokenSha256 = tokenSha256;
        changes.changed(tenant, controllerId);
    }

    /**
     * Applies a configData report (already checked: {@link ReportedAttributes#of}) and publishes the whole resulting
     * attribute set; a result beyond {@link ReportedAttributes#MAX_COUNT} is a 400 and changes nothing.
     */
    @Transactional
    public Map<String, String> updateAttributes(String tenant, String controllerId, AttributeUpdate mode,
            Map<String, String> reported) {
        Device device = devices.lockOrCreate(tenant, controllerId, maxDevices(tenant));
        Map<String, String> result = ReportedAttributes.bounded(mode.apply(attributesOf(device), reported));
        device.attributes = write(result);
        device.attributesReported = true;
        outbox.append(tenant, new DeviceReport.DeviceAttributesUpdated(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, mode.ddiName(), result));
        changes.changed(tenant, controllerId);
        return result;
    }

    /** A version installed out of band: told to the rest of the system, nothing the gateway itself keeps. */
    @Transactional
    public void reportInstalled(String tenant, String controllerId, String releaseId, String version) {
        devices.lockOrCreate(tenant, controllerId, maxDevices(tenant));
        outbox.append(tenant, new DeviceReport.InstalledVersionReported(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, releaseId, version));
    }

    /** The device's own view of its health after an update, told to the telemetry-service. */
    @Transactional
    public void reportHealth(String tenant, String controllerId, boolean bootOk, int crashCount, boolean appHealthy,
            Map<String, Double> metrics) {
        outbox.append(tenant, new DeviceTelemetry.HealthReported(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, bootOk, crashCount, appHealthy, metrics));
    }

    /** The tenant's device quota as the {@code tenants} topic last announced it; null = unlimited. */
    public Long maxDevices(String tenant) {
        return quotas.quotas(tenant).maxDevices();
    }

    /** The 409 a device gets when its tenant's device quota kept it from being registered. */
    public DeviceQuotaExceeded overQuota(String tenant, String controllerId) {
        return new DeviceQuotaExceeded(tenant, controllerId, maxDevices(tenant));
    }

    public static Map<String, String> attributesOf(Device device) {
        return attributesOf(device.attributes);
    }

    /** The attributes column (a JSON object of strings) as a map. */
    public static Map<String, String> attributesOf(String json) {
        try {
            return EventJson.mapper().readValue(json, ATTRIBUTES);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Map<String, String> attributes) {
        try {
            return EventJson.mapper().writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
