package io.updraft.rollout.domain;

import java.util.List;

/**
 * Devices a rollout request's attributes and filter select but the rollout leaves out, or would hardly reach, for
 * one reason: how many, and the first of them by id.
 *
 * @param reason {@code ALREADY_ON_RELEASE}, {@code INCOMPATIBLE} or {@code OFFLINE}
 */
public record Exclusion(String reason, long devices, List<String> sample) {
    public static final String ALREADY_ON_RELEASE = "ALREADY_ON_RELEASE";
    public static final String INCOMPATIBLE = "INCOMPATIBLE";
    public static final String OFFLINE = "OFFLINE";

    public Exclusion {
        sample = List.copyOf(sample);
    }
}
