package io.updraft.rollout.api;

import io.updraft.support.validation.SafeText;

/** Optional body of pause, abort and cohort rollback. */
public record ControlRequest(@SafeText(max = 1000, multiline = true) String reason) {
    static String reasonOf(ControlRequest request) {
        return request == null ? null : request.reason();
    }
}
