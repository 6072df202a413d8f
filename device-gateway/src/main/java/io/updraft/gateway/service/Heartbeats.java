package io.updraft.gateway.service;

/**
 * Where a poll says "this device is alive": at most one DeviceSeen per device per sampling interval goes out. The
 * implementation sends through Kafka (messaging), which depends on the services, so the poll path knows only this.
 */
public interface Heartbeats {
    /** Runs on every poll, mostly on the I/O thread: must neither block nor touch the database. */
    /** @param deviceKey the device across tenants ({@link io.updraft.gateway.domain.DeviceKeys}) */
    void seen(String deviceKey);
}
