package io.updraft.gateway.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.DeviceCommand;
import io.updraft.events.EventJson;
import io.updraft.gateway.action.CommandIntake;
import io.updraft.gateway.action.MaintenanceSchedule;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * device-commands → the devices' actions, a polled batch per transaction (a wave of a million commands is not a
 * million commits). A record that cannot be read — or whose maintenance window the gateway cannot evaluate, since a
 * window never honoured is worse than none — is parked on the DLQ and the batch goes on.
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

    @Incoming(Channels.DEVICE_COMMANDS)
    @Blocking
    public void onCommands(ConsumerRecords<String, String> records) {
        batches.apply(records, deadLetterTopic, DeviceCommandConsumer::read, this::apply);
    }

    private static DeviceCommand read(String payload) {
        DeviceCommand command = EventJson.read(payload, DeviceCommand.class);
        if (command instanceof DeviceCommand.InstallRequested install && install.maintenanceWindow() != null) {
            MaintenanceSchedule.of(install.maintenanceWindow());
        }
        return command;
    }

    private void apply(DeviceCommand command) {
        if (!inbox.firstDelivery(CONSUMER, command)) {
            return;
        }
        if (command instanceof DeviceCommand.InstallRequested install) {
            commands.install(install);
        } else if (command instanceof DeviceCommand.CancelRequested cancel) {
            commands.cancel(cancel);
        }
    }
}
