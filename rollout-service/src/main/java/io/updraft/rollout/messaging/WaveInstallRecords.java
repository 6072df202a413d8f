package io.updraft.rollout.messaging;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.JsonTemplate;
import io.updraft.events.Topics;
import io.updraft.support.kafka.EventRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The InstallRequested records of one dispatcher turn of one wave. Every command of a turn has the same JSON but for
 * four fields (event id, device, action, cohort), so it is written once as a {@link JsonTemplate} and each command's
 * JSON is the template with its own four values — byte for byte what {@link EventJson#write(String,
 * io.updraft.events.UpdraftEvent)} writes (issue 21: writing each command's 700-odd bytes of release, artifacts and
 * window was the dispatcher thread's largest stage). A value Jackson would escape makes that one command go through
 * Jackson; so does every command of a template whose markers are not each found exactly once. The headers that do
 * not depend on the command are shared ({@link EventRecords#run}).
 */
final class WaveInstallRecords {
    private static final String EVENT_ID = "@@updraft-template-event-id@@";
    private static final String DEVICE_ID = "@@updraft-template-device-id@@";
    private static final String COHORT = "@@updraft-template-cohort@@";
    private static final long ACTION_ID = 7_071_071_071_071_071_071L;

    private final String tenant;
    private final InstallRequested template;
    private final EventRecords.Run run;
    /** Null: every command through Jackson. */
    private final JsonTemplate json;

    private WaveInstallRecords(String tenant, String source, InstallRequested template) {
        this.tenant = tenant;
        this.template = template;
        this.run = EventRecords.run(tenant, source, template.type(), template.occurredAt());
        this.json = JsonTemplate.of(EventJson.write(tenant, withSlots(template, EVENT_ID, DEVICE_ID, ACTION_ID, COHORT)),
                JsonTemplate.quoted(EVENT_ID), JsonTemplate.quoted(DEVICE_ID), Long.toString(ACTION_ID),
                JsonTemplate.quoted(COHORT));
    }

    /**
     * The records of a turn whose commands are {@code template} with their own event id, device, action and cohort
     * (the template's values of those four are not used).
     */
    static WaveInstallRecords of(String tenant, String source, InstallRequested template) {
        return new WaveInstallRecords(tenant, source, template);
    }

    /** Whether commands are written from the template (false: each through Jackson). */
    boolean spliced() {
        return json != null;
    }

    /** The record of the template's command for one device, as {@code EventRecords.toRecord} would make it. */
    ProducerRecord<String, String> record(String eventId, String deviceId, long actionId, String cohort) {
        String id = JsonTemplate.quoted(eventId);
        String device = JsonTemplate.quoted(deviceId);
        String cohortValue = JsonTemplate.quoted(cohort);
        String value = json != null && id != null && device != null && cohortValue != null
                ? json.fill(id, device, Long.toString(actionId), cohortValue)
                : EventJson.write(tenant, withSlots(template, eventId, deviceId, actionId, cohort));
        return run.toRecord(Topics.DEVICE_COMMANDS, deviceId, eventId, value);
    }

    private static InstallRequested withSlots(InstallRequested c, String eventId, String deviceId, long actionId,
            String cohort) {
        return new InstallRequested(eventId, c.occurredAt(), c.schemaVersion(), deviceId, actionId, c.rolloutId(),
                c.wave(), cohort, c.releaseId(), c.releaseName(), c.version(), c.artifacts(), c.actionType(),
                c.deadline(), c.rollback(), c.expiresAt(), c.maintenanceWindow(), c.confirmationRequired(),
                c.confirmBy());
    }
}
