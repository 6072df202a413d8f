package io.updraft.rollout.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.config.DispatchConfig;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.persistence.DeviceInventory;
import io.updraft.rollout.persistence.DeviceInventory.Described;
import io.updraft.rollout.persistence.DispatchRehearsal;
import io.updraft.rollout.persistence.ReleaseCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One rehearsal of the first rollout, in a transaction of its own that is always rolled back: a release put into the
 * catalog and devices into the inventory under a random tag no real request can target, then the rollout created by
 * {@link RolloutCreation} (inventory query, plan, rollout and wave rows, outbox and history rows, wave 1 started), read
 * back as the API reads it, wave 1's first chunk of actions created and read by the dispatcher's own statements and
 * turned into its InstallRequested records; the API and messaging rehearse their part through {@link WarmUpRound}.
 * Nothing is sent and nothing commits: the outbox relay and the dispatcher are woken only by commits.
 */
@ApplicationScoped
public class WarmUpRehearsal {
    private static final String MODEL = "warm-up";

    @Inject
    TransactionManager transactions;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    DeviceInventory inventory;
    @Inject
    RolloutCreation creation;
    @Inject
    RolloutQueries queries;
    @Inject
    DispatchRehearsal dispatch;
    @Inject
    DispatchConfig dispatchConfig;
    @Inject
    Event<WarmUpRound> round;

    /** @return the commands wave 1 would have sent */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int rehearse(int devices) throws Exception {
        try {
            return rehearseRolledBack(devices);
        } finally {
            transactions.setRollbackOnly(); // the interceptor then rolls back instead of committing
        }
    }

    private int rehearseRolledBack(int devices) {
        String tag = "warm-up-" + UUID.randomUUID();
        ReleasePublished published = new ReleasePublished(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, tag, "warm-up", "0.0.0-warm-up", List.of(new ArtifactRef(1, "os",
                        "warm-up.swu", 1, "0".repeat(64), "0".repeat(40), "0".repeat(32))),
                List.of(new HardwareCompatibility(MODEL, "1.0"), new HardwareCompatibility(MODEL, "2.0")));
        catalog.publish(published);
        Instant now = Instant.now();
        List<Described> fleet = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            fleet.add(new Described(String.format("%s-%05d", tag, i), Map.of("model", MODEL, "revision",
                    i % 2 == 0 ? "1.0" : "2.0", "fleet", tag), now));
        }
        inventory.describeAll(fleet);
        List<JsonNode> waves = List.of(IntNode.valueOf(10), IntNode.valueOf(25), IntNode.valueOf(50),
                IntNode.valueOf(100));
        Rollout created = creation.createInTransaction(new NewRollout("warm-up", tag, Map.of("fleet", tag), waves, null, null,
                null, "PT1H", ActionType.FORCED, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null));
        Rollout rollout = queries.find(created.id).orElseThrow();
        DispatchRehearsal.Rehearsed rehearsed = dispatch.firstChunk(rollout.id, dispatchConfig.chunkSize());
        CatalogRelease release = catalog.find(tag).orElseThrow();
        List<InstallRequested> commands = rehearsed.installs().stream()
                .map(install -> DeviceCommands.waveInstall(new DeviceAction(install.actionId(), rollout.id,
                        install.deviceId(), 1, install.cohort(), tag, release.version(), false,
                        ActionState.SCHEDULED), install.actionId(), release, rollout))
                .toList();
        String body = String.format("{\"name\":\"warm-up\",\"releaseId\":\"%s\",\"target\":{\"fleet\":\"%s\"},"
                + "\"waves\":[10,25,50,100],\"soakTime\":\"PT1H\",\"actionType\":\"FORCED\"}", tag, tag);
        round.fire(new WarmUpRound(rollout, body, commands));
        return commands.size();
    }
}
