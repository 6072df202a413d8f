package io.updraft.rollout.messaging;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.Topics;
import io.updraft.support.kafka.EventRecords;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The InstallRequested records of one dispatcher turn of one wave. Every command of a turn has the same JSON but for
 * four fields (event id, device, action, cohort): the JSON is written once through {@link EventJson#write(String,
 * io.updraft.events.UpdraftEvent)} for a template command whose four fields hold marker values, cut at the markers,
 * and each command's JSON is the pieces with its own values between them — the bytes Jackson would write for it, at a
 * fraction of the cost (issue 21: writing each command's 700-odd bytes of release, artifacts and window was the
 * dispatcher thread's largest stage). A value Jackson would escape (a quote, a backslash, a control or non-ASCII
 * character) makes that one command go through Jackson; so does a template whose markers are not each found exactly
 * once. The headers that do not depend on the command are shared ({@link EventRecords#run}).
 */
final class WaveInstallRecords {
    private static final String EVENT_ID = "\u00abupdraft-template-event-id\u00bb";
    private static final String DEVICE_ID = "\u00abupdraft-template-device-id\u00bb";
    private static final String COHORT = "\u00abupdraft-template-cohort\u00bb";
    private static final long ACTION_ID = 7_071_071_071_071_071_071L;

    private enum Slot {
        EVENT_ID, DEVICE_ID, ACTION_ID, COHORT
    }

    private final String tenant;
    private final InstallRequested template;
    private final EventRecords.Run run;
    /** The template's JSON between the slots: pieces.length == slots.length + 1; null when spliced output is off. */
    private final String[] pieces;
    private final Slot[] slots;
    private final int fixedLength;

    private WaveInstallRecords(String tenant, String source, InstallRequested template) {
        this.tenant = tenant;
        this.template = template;
        this.run = EventRecords.run(tenant, source, template.type(), template.occurredAt());
        String json = EventJson.write(tenant, withSlots(template, EVENT_ID, DEVICE_ID, ACTION_ID, COHORT));
        List<int[]> found = new ArrayList<>(4); // {start, end, slot}
        boolean once = find(json, quoted(EVENT_ID), Slot.EVENT_ID, found)
                & find(json, quoted(DEVICE_ID), Slot.DEVICE_ID, found)
                & find(json, Long.toString(ACTION_ID), Slot.ACTION_ID, found)
                & find(json, quoted(COHORT), Slot.COHORT, found);
        if (!once) {
            pieces = null;
            slots = null;
            fixedLength = 0;
            return;
        }
        found.sort((a, b) -> Integer.compare(a[0], b[0]));
        pieces = new String[found.size() + 1];
        slots = new Slot[found.size()];
        int at = 0;
        int length = 0;
        for (int i = 0; i < found.size(); i++) {
            int[] slot = found.get(i);
            pieces[i] = json.substring(at, slot[0]);
            slots[i] = Slot.values()[slot[2]];
            length += pieces[i].length();
            at = slot[1];
        }
        pieces[found.size()] = json.substring(at);
        fixedLength = length + pieces[found.size()].length();
    }

    /**
     * The records of a turn whose commands are {@code template} with their own event id, device, action and cohort
     * (the template's values of those four are not used).
     */
    static WaveInstallRecords of(String tenant, String source, InstallRequested template) {
        return new WaveInstallRecords(tenant, source, template);
    }

    /** Whether commands are written from the template's pieces (false: each through Jackson). */
    boolean spliced() {
        return pieces != null;
    }

    /** The record of the template's command for one device, as {@code EventRecords.toRecord} would make it. */
    ProducerRecord<String, String> record(String eventId, String deviceId, long actionId, String cohort) {
        String json = spliced() && verbatim(eventId) && verbatim(deviceId) && verbatim(cohort)
                ? splice(eventId, deviceId, actionId, cohort)
                : EventJson.write(tenant, withSlots(template, eventId, deviceId, actionId, cohort));
        return run.toRecord(Topics.DEVICE_COMMANDS, deviceId, eventId, json);
    }

    private String splice(String eventId, String deviceId, long actionId, String cohort) {
        StringBuilder json = new StringBuilder(fixedLength + eventId.length() + deviceId.length() + cohort.length()
                + 26);
        for (int i = 0; i < slots.length; i++) {
            json.append(pieces[i]);
            switch (slots[i]) {
                case EVENT_ID -> json.append('"').append(eventId).append('"');
                case DEVICE_ID -> json.append('"').append(deviceId).append('"');
                case ACTION_ID -> json.append(actionId);
                case COHORT -> json.append('"').append(cohort).append('"');
            }
        }
        return json.append(pieces[slots.length]).toString();
    }

    /** Whether Jackson writes {@code value} as it is between quotes: printable ASCII without quote or backslash. */
    static boolean verbatim(String value) {
        if (value == null) {
            return false; // null is written as null, not "null"
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean find(String json, String marker, Slot slot, List<int[]> found) {
        int at = json.indexOf(marker);
        if (at < 0 || json.indexOf(marker, at + 1) >= 0) {
            return false;
        }
        found.add(new int[] { at, at + marker.length(), slot.ordinal() });
        return true;
    }

    private static String quoted(String marker) {
        return '"' + marker + '"';
    }

    private static InstallRequested withSlots(InstallRequested c, String eventId, String deviceId, long actionId,
            String cohort) {
        return new InstallRequested(eventId, c.occurredAt(), c.schemaVersion(), deviceId, actionId, c.rolloutId(),
                c.wave(), cohort, c.releaseId(), c.releaseName(), c.version(), c.artifacts(), c.actionType(),
                c.deadline(), c.rollback(), c.expiresAt(), c.maintenanceWindow(), c.confirmationRequired(),
                c.confirmBy());
    }
}
