package io.updraft.gateway.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.poll.DeviceChanges;
import io.updraft.gateway.poll.DeviceViewStore;
import io.updraft.gateway.poll.FirstContactQueue;
import io.updraft.gateway.poll.PollView;
import io.updraft.gateway.repository.Device;
import io.updraft.gateway.repository.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Devices as the gateway knows them: first contact, credentials and attributes. */
@ApplicationScoped
public class DeviceRegistry {
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {
    };

    /** New devices are inserted registered; known ones get registered_at only if they had none (returned then). */
    private static final String REGISTER = """
            insert into device (controller_id, created_at, registered_at)
            select id, ?::timestamptz, ?::timestamptz from unnest(?::varchar[]) as id
            on conflict (controller_id) do update set registered_at = excluded.registered_at
            where device.registered_at is null
            returning controller_id, attributes""";

    @Inject
    DeviceRepository devices;
    @Inject
    DeviceViewStore store;
    @Inject
    EntityManager entityManager;
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
        List<String> registered = new ArrayList<>();
        List<UpdraftEvent> events = new ArrayList<>();
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            store.loadSome(connection, visits.stream().map(FirstContactQueue.Visit::controllerId).toArray(String[]::new),
                    views::put);
            Map<String, String> tenants = new HashMap<>();
            for (FirstContactQueue.Visit visit : visits) {
                PollView view = views.get(visit.controllerId());
                if (visit.registers() && (view == null || !view.registered())) {
                    tenants.put(visit.controllerId(), visit.tenant());
                }
            }
            if (tenants.isEmpty()) {
                return;
            }
            // sorted: concurrent batches (other replicas) take their row locks in the same order
            String[] toRegister = tenants.keySet().stream().sorted().toArray(String[]::new);
            try (PreparedStatement upsert = connection.prepareStatement(REGISTER)) {
                Timestamp now = Timestamp.from(Instant.now());
                upsert.setTimestamp(1, now);
                upsert.setTimestamp(2, now);
                upsert.setArray(3, connection.createArrayOf("varchar", toRegister));
                try (ResultSet rows = upsert.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getString(1);
                        registered.add(id);
                        events.add(new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                                UpdraftEvent.SCHEMA_VERSION, id, tenants.get(id), attributesOf(rows.getString(2))));
                    }
                }
            }
            store.loadSome(connection, toRegister, views::put); // under the locks: as they will be at commit
        });
        outbox.appendAll(events);
        changes.changed(registered);
        return views;
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
