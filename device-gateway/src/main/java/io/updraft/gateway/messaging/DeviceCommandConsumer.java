package io.updraft.gateway.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.DeviceCommand;
import io.updraft.events.EventJson;
import io.updraft.gateway.service.CommandIntake;
import io.updraft.gateway.domain.MaintenanceSchedule;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * device-commands → the devices' actions, a polled batch per transaction with a handful of set-based statements
 * ({@link CommandIntake#applyAll}): a wave of a hundred thousand commands is neither a hundred thousand commits nor
 * a hundred thousand round trips per statement. A record that cannot be read, whose schemaVersion or deviceId is
 * not one the gateway accepts, or whose maintenance window it cannot evaluate (a window never honoured is worse
 * than none) is parked on the DLQ with the reason and the batch goes on. If the batch's transaction fails, its records are applied again one at a time, each in its own
 * transaction ({@link BatchConsumption}), and only the one that fails is parked. Each command is applied in the
 * tenant its record names (the JSON's {@code "tenant"}, ADR 0021; none = DEFAULT) to that tenant's device only: a
 * batch is applied a tenant at a time, in tenant order (so concurrent transactions lock devices in one order).
 */
@ApplicationScoped
public class DeviceCommandConsumer {
    static final String CONSUMER = "device-gateway.device-commands";

    @Inject
    Inbox inbox;
    @Inject
    CommandIntake commands;
    @Inject
    BatchConsumption batches;
    @ConfigProperty(name = "mp.messaging.incoming.device-commands.dead-letter-queue.topic")
    String deadLetterTopic;

    /** A command and the tenant whose device it is for. */
    public record TenantCommand(String tenant, DeviceCommand command) {
    }

    @Incoming(Channels.DEVICE_COMMANDS)
    @Blocking
    public void onCommands(ConsumerRecords<String, String> records) {
        batches.applyBatch(records, deadLetterTopic, DeviceCommandConsumer::read, this::applyAll, this::applyOne);
    }

    /** A polled batch's commands, in offset order per tenant, in the caller's transaction: the set-based path. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyAll(List<TenantCommand> read) {
        Map<String, List<DeviceCommand>> byTenant = new TreeMap<>();
        read.forEach(c -> byTenant.computeIfAbsent(c.tenant(), t -> new ArrayList<>()).add(c.command()));
        byTenant.forEach((tenant, ofTenant) -> Tenants.runAs(tenant,
                () -> commands.applyAll(tenant, inbox.firstDeliveries(CONSUMER, ofTenant))));
    }

    /** One command in the caller's transaction, as the gateway applied every command before the set-based path. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyOne(TenantCommand read) {
        DeviceCommand command = read.command();
        if (!inbox.firstDelivery(CONSUMER, command)) {
            return;
        }
        Tenants.runAs(read.tenant(), () -> {
            if (command instanceof DeviceCommand.InstallRequested install) {
                commands.install(read.tenant(), install);
            } else if (command instanceof DeviceCommand.CancelRequested cancel) {
                commands.cancel(read.tenant(), cancel);
            }
        });
    }

    /**
     * A command the gateway can apply, or an exception that parks the record: unreadable, a schemaVersion outside
     * the supported range, a deviceId that is not an identifier (it would become a device row and a DDI path) — all
     * three refused by {@link EventJson#read} — or a maintenance window that cannot be evaluated.
     */
    private static TenantCommand read(String payload) {
        String tenant = EventJson.tenantOf(payload);
        DeviceCommand command = EventJson.read(payload, DeviceCommand.class);
        if (command instanceof DeviceCommand.InstallRequested install && install.maintenanceWindow() != null) {
            MaintenanceSchedule.of(install.maintenanceWindow());
        }
        return new TenantCommand(tenant, command);
    }
}
