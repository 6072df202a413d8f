package io.updraft.gateway.action;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A device's feedback on an action, already parsed from the DDI body; {@code details} already capped. */
public record Feedback(Execution execution, Result result, List<String> details) {
    public Feedback {
        details = details == null ? List.of() : List.copyOf(details);
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
