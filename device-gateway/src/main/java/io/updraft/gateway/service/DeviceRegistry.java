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
import io.updraft.gateway.domain.PollView;
import io.updraft.gateway.domain.ReportedAttributes;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.gateway.persistence.DeviceViewStore;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** First contact: the device row exists (or is created) and DeviceRegistered is written exactly once. */
    @Transactional
    public void register(String controllerId, String tenant) {
        Device device = devices.lockOrCreate(controllerId);
        if (device.registeredAt != null) {
            return; // another replica registered it a moment ago
        }
        device.registeredAt = Instant.now();
        outbox.append(new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, tenant, attributesOf(device)));
        changes.changed(controllerId);
    }

    /**
     * A batch of polls the cache could not answer, in one transaction: every visited device's view is read in one
     * statement (no lock, as a single load); the devices on first contact among them are then registered by one
     * multi-row upsert and read again under the row locks it took. DeviceRegistered goes out exactly once per device,
     * even against another replica or a concurrent {@link #register}, because the upsert re-checks
     * {@code registered_at} under the row lock. Known, registered devices are not locked at all, so the batch never
     * waits for (or deadlocks with) the command consumer.
     *
     * @return the view of every known device of the batch
     */
    @Transactional
    public Map<String, PollView> registerAndLoad(List<FirstContactQueue.Visit> visits) {
        Map<String, PollView> views = new HashMap<>();
        Map<String, String> tenants = new HashMap<>();
        for (FirstContactQueue.Visit visit : visits) {
            if (visit.registers()) {
                tenants.put(visit.controllerId(), visit.tenant());
            }
        }
        List<String> registered = new ArrayList<>();
        List<UpdraftEvent> events = new ArrayList<>();
        store.loadRegistering(visits.stream().map(FirstContactQueue.Visit::controllerId).toArray(String[]::new),
                tenants.keySet(), views, (id, attributes) -> {
                    registered.add(id);
                    events.add(new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                            UpdraftEvent.SCHEMA_VERSION, id, tenants.get(id), attributesOf(attributes)));
                });
        outbox.appendAll(events);
        changes.changed(registered);
        return views;
    }

    /** The device as stored, if known (read without a lock, for the management API). */
    public Optional<Device> find(String controllerId) {
        return devices.findByIdOptional(controllerId);
    }

    /** Every action the gateway holds for the device, newest first. */
    public List<DeviceAction> actionsOf(String controllerId) {
        return actions.allOf(controllerId);
    }

    @Transactional
    public void provisionToken(String controllerId, String tokenSha256) {
        Device device = devices.lockOrCreate(controllerId);
        device.tokenSha256 = tokenSha256;
        changes.changed(controllerId);
    }

    /**
     * Applies a configData report (already checked: {@link ReportedAttributes#of}) and publishes the whole resulting
     * attribute set; a result beyond {@link ReportedAttributes#MAX_COUNT} is a 400 and changes nothing.
     */
    @Transactional
    public Map<String, String> updateAttributes(String controllerId, AttributeUpdate mode,
            Map<String, String> reported) {
        Device device = devices.lockOrCreate(controllerId);
        Map<String, String> result = ReportedAttributes.bounded(mode.apply(attributesOf(device), reported));
        device.attributes = write(result);
        device.attributesReported = true;
        outbox.append(new DeviceReport.DeviceAttributesUpdated(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, mode.ddiName(), result));
        changes.changed(controllerId);
        return result;
    }

    /** A version installed out of band: told to the rest of the system, nothing the gateway itself keeps. */
    @Transactional
    public void reportInstalled(String controllerId, String releaseId, String version) {
        devices.lockOrCreate(controllerId);
        outbox.append(new DeviceReport.InstalledVersionReported(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, releaseId, version));
    }

    /** The device's own view of its health after an update, told to the telemetry-service. */
    @Transactional
    public void reportHealth(String controllerId, boolean bootOk, int crashCount, boolean appHealthy,
            Map<String, Double> metrics) {
        outbox.append(new DeviceTelemetry.HealthReported(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, controllerId, bootOk, crashCount, appHealthy, metrics));
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
