package io.updraft.fleet;

import java.util.List;
import java.util.Map;

/** What one simulated device went through: its installs per action id, and what it runs now. */
public record DeviceLog(String deviceId, String model, String revision, String installedVersion,
        Map<Long, Integer> installsPerAction, List<String> problems) {
}
