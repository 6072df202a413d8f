package io.updraft.gateway.poll;

import io.updraft.gateway.repository.Device;
import io.updraft.gateway.repository.DeviceActionRepository;
import io.updraft.gateway.repository.DeviceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/** The only database access of the poll path; it counts its statements so the cache's effect can be measured. */
@ApplicationScoped
public class DeviceViewStore {
    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;

    private final AtomicLong statements = new AtomicLong();

    public PollView load(String controllerId) {
        statements.incrementAndGet();
        Device device = devices.findById(controllerId);
        if (device == null) {
            return PollView.unknown(controllerId);
        }
        statements.incrementAndGet();
        PollView.Offer offer = actions.current(controllerId)
                .map(a -> new PollView.Offer(a.actionId,
                        a.status.offersCancel() ? PollView.Kind.CANCEL : PollView.Kind.DEPLOYMENT, a.linkHash()))
                .orElse(null);
        return new PollView(controllerId, true, device.tokenSha256, device.registeredAt != null,
                device.attributesReported, offer);
    }

    /** SQL statements run for poll views since start. */
    public long statements() {
        return statements.get();
    }
}
