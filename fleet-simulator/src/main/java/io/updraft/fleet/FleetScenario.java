package io.updraft.fleet;

import java.time.Duration;
import java.util.List;

/**
 * What fleet to simulate: how many devices of which hardware, which installs fail, and where the gateway is.
 *
 * @param idPrefix device ids are {@code <idPrefix>-<model>-<nnn>}
 * @param maxPollInterval devices poll at the gateway's {@code sleep}, but never less often than this
 */
public record FleetScenario(String gatewayUrl, String tenant, String gatewayToken, String idPrefix,
        List<HardwareMix> hardware, List<FailureRule> failures, Duration installDuration, Duration maxPollInterval,
        String initialVersion) {

    public FleetScenario {
        hardware = List.copyOf(hardware);
        failures = List.copyOf(failures);
    }

    /** {@code count} devices of one model and revision. */
    public record HardwareMix(String model, String revision, int count) {
    }

    /**
     * Installs of {@code version} on {@code model} fail for the given share of devices. Which devices fail is spread
     * evenly over device numbers (a low-discrepancy sequence), so any first few devices fail in about that share.
     */
    public record FailureRule(String model, String version, double share) {
        boolean fails(String deviceModel, String targetVersion, int deviceNumber) {
            if (!model.equals(deviceModel) || !version.equals(targetVersion)) {
                return false;
            }
            double position = (deviceNumber * 0.6180339887498949) % 1.0;
            return position < share;
        }
    }

    public int deviceCount() {
        return hardware.stream().mapToInt(HardwareMix::count).sum();
    }
}
