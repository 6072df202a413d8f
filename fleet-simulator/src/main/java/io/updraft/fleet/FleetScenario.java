package io.updraft.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What fleet to simulate: how many devices of which hardware, which installs fail and how, which devices are offline
 * when, how long installs take, how often downloads are cut, and where the gateway is. Read from a JSON or YAML file
 * with {@link ScenarioFile}.
 *
 * @param idPrefix device ids are {@code <idPrefix>-<model>-<nnn>}
 * @param installDuration the shortest install; each device's install takes a fixed time between this and
 *        {@code installDurationMax}, drawn from {@code seed}
 * @param maxPollInterval devices poll at the gateway's {@code sleep}, but never less often than this
 * @param offline devices offline for a time (or for the whole run)
 * @param cutDownloadShare the share of downloads whose connection is cut halfway and resumed with {@code Range}
 * @param seed makes every random choice repeatable
 * @param deltaShare the share of devices that are zchunk delta clients (spread over device numbers like failures):
 *        they report attribute {@value #DELTA_ATTRIBUTE}={@value #DELTA_ZCHUNK} and, offered a {@code .zck} while
 *        the image of their installed version is in {@code images}, fetch only the chunks they lack
 * @param deltaMaxRanges byte ranges per GET a delta client asks for at most (the gateway's max-ranges, 200)
 * @param images installed version → file of that version's image, the running image of delta clients on it
 */
public record FleetScenario(String gatewayUrl, String tenant, String gatewayToken, String idPrefix,
        List<HardwareMix> hardware, List<FailureRule> failures, Duration installDuration, Duration maxPollInterval,
        String initialVersion, Duration installDurationMax, List<OfflineRule> offline, double cutDownloadShare,
        long seed, double deltaShare, Integer deltaMaxRanges, Map<String, String> images) {

    /** The attribute a delta client reports, and its value: the rollout side can choose delta vs. full from it. */
    public static final String DELTA_ATTRIBUTE = "update.delta";
    public static final String DELTA_ZCHUNK = "zchunk";

    public FleetScenario {
        if (gatewayUrl == null || gatewayUrl.isBlank()) {
            throw new IllegalArgumentException("gatewayUrl is required");
        }
        if (hardware == null || hardware.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one hardware entry");
        }
        hardware = List.copyOf(hardware);
        failures = failures == null ? List.of() : List.copyOf(failures);
        offline = offline == null ? List.of() : List.copyOf(offline);
        installDuration = installDuration == null ? Duration.ofMillis(500) : installDuration;
        installDurationMax = installDurationMax == null || installDurationMax.compareTo(installDuration) < 0
                ? installDuration : installDurationMax;
        maxPollInterval = maxPollInterval == null ? Duration.ofSeconds(5) : maxPollInterval;
        tenant = tenant == null ? "DEFAULT" : tenant;
        initialVersion = initialVersion == null ? "1.0.0" : initialVersion;
        if (cutDownloadShare < 0 || cutDownloadShare > 1) {
            throw new IllegalArgumentException("cutDownloadShare must be within 0..1, was " + cutDownloadShare);
        }
        if (deltaShare < 0 || deltaShare > 1) {
            throw new IllegalArgumentException("deltaShare must be within 0..1, was " + deltaShare);
        }
        deltaMaxRanges = deltaMaxRanges == null ? ZchunkDeltaClient.DEFAULT_MAX_RANGES : deltaMaxRanges;
        if (deltaMaxRanges < 1) {
            throw new IllegalArgumentException("deltaMaxRanges must be at least 1, was " + deltaMaxRanges);
        }
        images = images == null ? Map.of() : Map.copyOf(images);
    }

    /** A scenario without delta clients. */
    public FleetScenario(String gatewayUrl, String tenant, String gatewayToken, String idPrefix,
            List<HardwareMix> hardware, List<FailureRule> failures, Duration installDuration, Duration maxPollInterval,
            String initialVersion, Duration installDurationMax, List<OfflineRule> offline, double cutDownloadShare,
            long seed) {
        this(gatewayUrl, tenant, gatewayToken, idPrefix, hardware, failures, installDuration, maxPollInterval,
                initialVersion, installDurationMax, offline, cutDownloadShare, seed, 0.0, null, null);
    }

    /** This scenario with {@code share} of its devices delta clients asking for at most {@code maxRanges} per GET. */
    public FleetScenario withDelta(double share, int maxRanges) {
        return new FleetScenario(gatewayUrl, tenant, gatewayToken, idPrefix, hardware, failures, installDuration,
                maxPollInterval, initialVersion, installDurationMax, offline, cutDownloadShare, seed, share, maxRanges,
                images);
    }

    /** Whether device {@code number} (of any model) is a delta client. */
    boolean deltaClient(int deviceNumber) {
        return Spread.position(deviceNumber, 19) < deltaShare;
    }

    /** A healthy, always-online fleet with fixed install time (what the demo and most tests use). */
    public FleetScenario(String gatewayUrl, String tenant, String gatewayToken, String idPrefix,
            List<HardwareMix> hardware, List<FailureRule> failures, Duration installDuration, Duration maxPollInterval,
            String initialVersion) {
        this(gatewayUrl, tenant, gatewayToken, idPrefix, hardware, failures, installDuration, maxPollInterval,
                initialVersion, installDuration, List.of(), 0.0, 1L);
    }

    /** {@code count} devices of one model and revision. */
    public record HardwareMix(String model, String revision, int count) {
        public HardwareMix {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative");
            }
        }
    }

    /** How an injected failure shows. */
    public enum FailureMode {
        /** the install itself fails: feedback closed + failure */
        INSTALL_FAILURE,
        /** the install succeeds, then the device crash-loops: health reports with crashes and app unhealthy */
        CRASH_LOOP,
        /** the install succeeds, then the device is never heard from again (no polls, no heartbeats) */
        SILENT_DEATH
    }

    /**
     * Installs of {@code version} on {@code model} fail (in {@code mode}) for the given share of devices. Which
     * devices fail is spread evenly over device numbers (a low-discrepancy sequence), so any first few devices fail
     * in about that share.
     */
    public record FailureRule(String model, String version, double share, FailureMode mode) {
        public FailureRule {
            mode = mode == null ? FailureMode.INSTALL_FAILURE : mode;
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("failure share must be within 0..1, was " + share);
            }
        }

        public FailureRule(String model, String version, double share) {
            this(model, version, share, FailureMode.INSTALL_FAILURE);
        }

        boolean fails(String deviceModel, String targetVersion, int deviceNumber) {
            if (!model.equals(deviceModel) || !version.equals(targetVersion)) {
                return false;
            }
            return Spread.position(deviceNumber, 0) < share;
        }
    }

    /**
     * A share of the devices (of one model, or of all when {@code model} is null) is offline from {@code from} until
     * {@code until} after the fleet starts; {@code until} null means offline for the whole run.
     */
    public record OfflineRule(String model, double share, Duration from, Duration until) {
        public OfflineRule {
            from = from == null ? Duration.ZERO : from;
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("offline share must be within 0..1, was " + share);
            }
        }

        boolean offline(String deviceModel, int deviceNumber, Duration sinceStart) {
            if (model != null && !model.equals(deviceModel)) {
                return false;
            }
            // a different offset than failures use, so offline and failing devices are not the same ones
            if (Spread.position(deviceNumber, 7) >= share) {
                return false;
            }
            return sinceStart.compareTo(from) >= 0 && (until == null || sinceStart.compareTo(until) < 0);
        }
    }

    public int deviceCount() {
        return hardware.stream().mapToInt(HardwareMix::count).sum();
    }

    /** Evenly spread positions in [0, 1) for device numbers: golden-ratio sequence. */
    static final class Spread {
        private Spread() {
        }

        static double position(int deviceNumber, int offset) {
            return ((deviceNumber + offset) * 0.6180339887498949) % 1.0;
        }
    }
}
