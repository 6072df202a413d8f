package io.updraft.rollout.service;

import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutCommand;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Applies a command to a rollout through {@link io.updraft.rollout.domain.RolloutState}; a refused one is a 409. */
@ApplicationScoped
public class RolloutTransitions {
    public void apply(Rollout rollout, RolloutCommand command) {
        rollout.state = rollout.state.after(command).orElseThrow(() -> ProblemException.conflict(
                "rollout " + rollout.id + " is " + rollout.state + ": cannot " + command.name().toLowerCase()));
        rollout.updatedAt = Instant.now();
    }
}
