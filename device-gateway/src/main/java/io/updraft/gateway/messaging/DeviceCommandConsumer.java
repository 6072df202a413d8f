package io.updraft.gateway.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.DeviceCommand;
import io.updraft.events.EventJson;
import io.updraft.gateway.action.CommandIntake;
import io.updraft.support.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** device-commands → the device's actions. A record that cannot be read throws and is parked on the DLQ. */
@ApplicationScoped
public class DeviceCommandConsumer {
    static final String CONSUMER = "device-gateway.device-commands";

    @Inject
    Inbox inbox;
    @Inject
    CommandIntake commands;

    @Incoming(Channels.DEVICE_COMMANDS)
    @Blocking
    @Transactional
    public void onCommand(String payload) {
        DeviceCommand command = EventJson.read(payload, DeviceCommand.class);
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
