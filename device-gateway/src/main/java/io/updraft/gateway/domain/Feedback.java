package io.updraft.gateway.domain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A device's feedback on an action, already parsed from the DDI body; {@code details} already capped. */
public record Feedback(Execution execution, Result result, List<String> details) {
    /** What SWUpdate's suricatta says once the image is written, before the reboot into it. */
    static final String INSTALLED_MARKER = "all chunks installed";

    public Feedback {
        details = details == null ? List.of() : List.copyOf(details);
    }

    /**
     * An intermediate report saying the image is installed and the device is to reboot into it (SWUpdate: "All Chunks
     * Installed."): a failure reported after it is the device saying the new image did not boot.
     */
    public boolean reportsInstalled() {
        return execution != Execution.CLOSED && execution != Execution.CANCELED && execution != Execution.REJECTED
                && details.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).contains(INSTALLED_MARKER));
    }

    /** DDI {@code status.execution}. */
    public enum Execution {
        CLOSED, PROCEEDING, CANCELED, SCHEDULED, REJECTED, RESUMED, DOWNLOADED, DOWNLOAD;

        public static Optional<Execution> parse(String value) {
            return parseEnum(Execution.class, value);
        }

        /** The DDI spelling, as it travels on in ActionProgressed. */
        public String ddiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** DDI {@code status.result.finished}. */
    public enum Result {
        SUCCESS, FAILURE, NONE;

        public static Optional<Result> parse(String value) {
            return parseEnum(Result.class, value);
        }
    }

    private static <E extends Enum<E>> Optional<E> parseEnum(Class<E> type, String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (E candidate : type.getEnumConstants()) {
            if (candidate.name().equalsIgnoreCase(value.trim())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
