package io.updraft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Issue 21's "measured ceiling of this machine" for the fan-out: how many commands per second the machine's cores
 * could give at best if every process were busy all the time, from the CPU each process spent per command. Three
 * designs, each from figures of the same run:
 * <ul>
 * <li>this one: every process's CPU over the POST and the dispatch, as measured;</li>
 * <li>one durable row per device: rollout-service and the broker as measured, PostgreSQL replaced by the
 * {@link DurableRowFloor}, one set-based insert of the action rows as {@code device_action} holds them (no
 * {@code rollout_device} row, no read back, no cursor: a lower bound for PostgreSQL, so an upper bound for the
 * design);</li>
 * <li>no row in PostgreSQL at all: rollout-service and the broker alone, the bound of any design that serialises and
 * sends as the service does.</li>
 * </ul>
 * Each as a share of the raw producer (the fan-out's baseline). The raw producer's own CPU bound is printed beside its
 * measured rate: how close a CPU-only bound comes on this machine. CPU seconds are not wall time: a ceiling assumes
 * perfect overlap of the processes on all cores, which the fan-out's single-backend POST does not have.
 */
final class FanoutCeiling {
    private FanoutCeiling() {
    }

    /** CPU µs per command of rollout-service, PostgreSQL (the cluster) and the broker over a fan-out. */
    record PerCommand(double service, double postgres, double broker) {
        double total() {
            return service + postgres + broker;
        }

        /** Sums each process's CPU over the periods (POST, dispatch), per command; empty when one was not measured. */
        static Optional<PerCommand> of(List<Map<String, OptionalDouble>> periods, String service,
                String postgres, String broker, long commands) {
            double[] sums = new double[3];
            String[] names = {service, postgres, broker};
            for (Map<String, OptionalDouble> period : periods) {
                for (int i = 0; i < names.length; i++) {
                    OptionalDouble seconds = period.getOrDefault(names[i], OptionalDouble.empty());
                    if (seconds.isEmpty()) {
                        return Optional.empty();
                    }
                    sums[i] += seconds.getAsDouble();
                }
            }
            return Optional.of(new PerCommand(sums[0] * 1e6 / commands, sums[1] * 1e6 / commands,
                    sums[2] * 1e6 / commands));
        }
    }

    /** Commands per second {@code cores} give at {@code microsPerCommand} of CPU each, all cores busy. */
    static double bound(int cores, double microsPerCommand) {
        return microsPerCommand > 0 ? cores * 1e6 / microsPerCommand : Double.NaN;
    }

    /**
     * The three ceilings as figures against the raw producer's rate ({@code raw}, {@code rawName}), and the raw
     * producer's own CPU bound ({@code rawMicros}: its JVM and the broker per record) beside its rate.
     *
     * @param floorPostgres PostgreSQL's CPU µs per row of the durable-row floor, NaN when it was not measured
     */
    static List<Figure> figures(int cores, PerCommand measured, double floorPostgres, double fanoutRate, double raw,
            String rawName, double rawMicros) {
        List<Figure> figures = new ArrayList<>();
        String machine = String.format(Locale.ROOT, "%d cores all busy", cores);
        figures.add(Figure.of("fan-out CPU ceiling, this design (two rows per device)",
                bound(cores, measured.total()), "commands/s").against(raw, rawName).note(String.format(Locale.ROOT,
                        "%s at %.1f µs of CPU per command (rollout-service %.1f, PostgreSQL %.1f, broker %.1f, over the"
                                + " POST and the dispatch); the fan-out reached %,.0f commands/s = %.0f %% of this bound",
                        machine, measured.total(), measured.service(), measured.postgres(), measured.broker(),
                        fanoutRate, 100 * fanoutRate / bound(cores, measured.total()))));
        if (Double.isFinite(floorPostgres)) {
            double oneRow = measured.service() + floorPostgres + measured.broker();
            figures.add(Figure.of("fan-out CPU ceiling, one durable row per device", bound(cores, oneRow),
                    "commands/s").against(raw, rawName).note(String.format(Locale.ROOT, "%s at %.1f µs per command:"
                            + " PostgreSQL %.1f µs (one set-based insert of the device_action rows with all its"
                            + " indexes, DurableRowFloor) instead of %.1f, rollout-service and broker as measured",
                            machine, oneRow, floorPostgres, measured.postgres())));
        } else {
            figures.add(Figure.missing("fan-out CPU ceiling, one durable row per device", "commands/s",
                    "the durable-row floor was not measured"));
        }
        double noRow = measured.service() + measured.broker();
        figures.add(Figure.of("fan-out CPU ceiling, no row in PostgreSQL", bound(cores, noRow), "commands/s")
                .against(raw, rawName).note(String.format(Locale.ROOT, "%s at %.1f µs per command: rollout-service"
                        + " and broker as measured, PostgreSQL nothing", machine, noRow)));
        if (rawMicros > 0) {
            figures.add(Figure.of("raw KafkaProducer CPU ceiling", bound(cores, rawMicros), "records/s")
                    .against(raw, rawName).note(String.format(Locale.ROOT, "%s at %.1f µs per record (its JVM and"
                            + " the broker, first run): how close a CPU-only bound comes to a measured rate here",
                            machine, rawMicros)));
        }
        return figures;
    }
}
