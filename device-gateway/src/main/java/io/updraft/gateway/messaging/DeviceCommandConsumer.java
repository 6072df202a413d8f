package io.updraft.gateway.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.DeviceCommand;
import io.updraft.events.EventJson;
import io.updraft.gateway.action.CommandIntake;
import io.updraft.gateway.action.MaintenanceSchedule;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.kafka.BatchConsumption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * device-commands → the devices' actions, a polled batch per transaction with a handful of set-based statements
 * ({@link CommandIntake#applyAll}): a wave of a hundred thousand commands is neither a hundred thousand commits nor
 * a hundred thousand round trips per statement. A record that cannot be read — or whose maintenance window the
 * gateway cannot evaluate, since a window never honoured is worse than none — is parked on the DLQ and the batch
 * goes on. If the batch's transaction fails, its records are applied again one at a time, each in its own
 * transaction ({@link BatchConsumption}), and only the one that fails is parked.
 */
@ApplicationScoped
public class DeviceCommandConsumer {
    static final String CONSUMER = "device-gateway.device-commands";
    private static final Logger LOG = Logger.getLogger(DeviceCommandConsumer.class);

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
        List<DeviceCommand> read = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> readable = new ArrayList<>(records.count());
        Map<TopicPartition, List<ConsumerRecord<String, String>>> unreadable = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                read.add(read(record.value()));
                readable.add(record);
            } catch (RuntimeException e) {
                unreadable.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                        partition -> new ArrayList<>()).add(record);
            }
        }
        if (!unreadable.isEmpty()) {
            // parked (with the reason) before the batch's transaction, as BatchConsumption parks what it cannot read
            batches.apply(new ConsumerRecords<>(unreadable, Map.of()), deadLetterTopic, DeviceCommandConsumer::read,
                    this::applyOne);
        }
        if (read.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> applyAll(read));
        } catch (RuntimeException batchFailed) {
            LOG.debugf("batch of %d commands failed (%s), applying them one at a time", read.size(), batchFailed);
            for (ConsumerRecord<String, String> record : readable) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                batches.apply(new ConsumerRecords<>(Map.of(partition, List.of(record)), Map.of()), deadLetterTopic,
                        DeviceCommandConsumer::read, this::applyOne);
            }
        }
    }

    /** A polled batch's commands, in offset order, in the caller's transaction: the set-based path. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyAll(List<DeviceCommand> read) {
        commands.applyAll(inbox.firstDeliveries(CONSUMER, read));
    }

    /** One command in the caller's transaction, as the gateway applied every command before the set-based path. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyOne(DeviceCommand command) {
        if (!inbox.firstDelivery(CONSUMER, command)) {
            return;
        }
        if (command instanceof DeviceCommand.InstallRequested install) {
            commands.install(install);
        } else if (command instanceof DeviceCommand.CancelRequested cancel) {
            commands.cancel(cancel);
        }
    }

    private static DeviceCommand read(String payload) {
        DeviceCommand command = EventJson.read(payload, DeviceCommand.class);
        if (command instanceof DeviceCommand.InstallRequested install && install.maintenanceWindow() != null) {
            MaintenanceSchedule.of(install.maintenanceWindow());
        }
        return command;
    }
}
