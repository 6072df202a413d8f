package io.updraft.gateway.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.poll.DeviceChanges;
import io.updraft.gateway.repository.Device;
import io.updraft.gateway.repository.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** Devices as the gateway knows them: first contact, credentials and attributes. */
@ApplicationScoped
public class DeviceRegistry {
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {
    };

    @Inject
    DeviceRepository devices;
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

    @Transactional
    public void provisionToken(String controllerId, String tokenSha256) {
        Device device = devices.lockOrCreate(controllerId);
        device.tokenSha256 = tokenSha256;
        changes.changed(controllerId);
    }

    /** Applies a configData report and publishes the whole resulting attribute set. */
    @Transactional
    public Map<String, String> updateAttributes(String controllerId, AttributeUpdate mode, Map<String, ?> data) {
        Device device = devices.lockOrCreate(controllerId);
        Map<String, String> result = mode.apply(attributesOf(device), AttributeUpdate.copyWithoutNulls(data));
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

    public static Map<String, String> attributesOf(Device device) {
        try {
            return EventJson.mapper().readValue(device.attributes, ATTRIBUTES);
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
