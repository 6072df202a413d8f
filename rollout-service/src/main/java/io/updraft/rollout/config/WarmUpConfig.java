package io.updraft.rollout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The rehearsal of the first rollout at start, before readiness (see {@code StartupWarmUp}). */
@ConfigMapping(prefix = "updraft.rollout.warm-up")
public interface WarmUpConfig {
    /** Off: ready at once, and the first rollout after a start pays for class loading and the JIT. */
    @WithDefault("true")
    boolean enabled();

    /** Readiness waits at most this long for the rehearsal; past it the service is ready and logs a warning. */
    @WithDefault("PT60S")
    Duration timeout();

    /**
     * Devices of the rehearsed rollout (4 waves; wave 1 is created and serialised as the dispatcher would). Few: each
     * round's rows are rolled back, and with 400 the rollouts right after the rehearsal were slower (one run each).
     */
    @WithDefault("40")
    int devices();

    /** Rehearsals: the JIT compiles what runs often; a second pass costs a fraction of the first. */
    @WithDefault("3")
    int rounds();
}
