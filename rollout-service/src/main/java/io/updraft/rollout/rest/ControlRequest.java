package io.updraft.rollout.rest;

import jakarta.validation.constraints.Size;

/** Optional body of pause, abort and cohort rollback. */
public record ControlRequest(@Size(max = 1000) String reason) {
    static String reasonOf(ControlRequest request) {
        return request == null ? null : request.reason();
    }
}
