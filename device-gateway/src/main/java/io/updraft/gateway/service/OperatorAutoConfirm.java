package io.updraft.gateway.service;

import io.updraft.gateway.domain.Device;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * An operator switches a device's auto-confirm on or off from the management API, as hawkBit's
 * {@code /rest/v1/targets/{id}/autoConfirm} does: the same switch as the device's own
 * {@code confirmationBase/activateAutoConfirm} ({@link Confirmations}: on confirms what waits), but only for a device
 * the gateway knows — the management API never creates one.
 */
@ApplicationScoped
public class OperatorAutoConfirm {
    private static final Logger LOG = Logger.getLogger(OperatorAutoConfirm.class);

    @Inject
    DeviceRepository devices;
    @Inject
    Confirmations confirmations;

    /** The device with its auto-confirm state; 404 if unknown. */
    @Transactional
    public Device state(String tenant, String controllerId) {
        Device device = devices.byId(tenant, controllerId);
        if (device == null) {
            throw unknown(controllerId);
        }
        return device;
    }

    /**
     * @param initiator who the device shows as having switched it on (the caller defaults it to the operator)
     * @param actor the subject of the operator's token
     */
    @Transactional
    public Device activate(String tenant, String controllerId, String initiator, String remark, String actor) {
        lockKnown(tenant, controllerId); // the row exists and is locked: Confirmations finds it, creates nothing
        confirmations.activateAutoConfirm(tenant, controllerId, initiator, remark);
        LOG.infof("auto-confirm of device %s switched on by %s", controllerId, actor);
        return devices.reread(devices.byId(tenant, controllerId)); // activatedAt as stored, as a later read shows it
    }

    @Transactional
    public Device deactivate(String tenant, String controllerId, String actor) {
        lockKnown(tenant, controllerId);
        confirmations.deactivateAutoConfirm(tenant, controllerId);
        LOG.infof("auto-confirm of device %s switched off by %s", controllerId, actor);
        return devices.byId(tenant, controllerId);
    }

    private void lockKnown(String tenant, String controllerId) {
        if (devices.lock(tenant, controllerId).isEmpty()) {
            throw unknown(controllerId);
        }
    }

    private static ProblemException unknown(String controllerId) {
        return ProblemException.notFound("no device " + controllerId);
    }
}
