package io.updraft.rollout.service;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.rollout.domain.Rollout;
import java.util.List;

/**
 * One round of the start-up rehearsal ({@link StartupWarmUp}), fired inside its transaction (which is rolled back) so
 * the other layers rehearse their part of the first rollout: the API its request and answer, messaging the
 * dispatcher's records. Observers must not send, store or commit anything.
 *
 * @param rollout the rehearsed rollout, as the API reads it back after creating it
 * @param requestBody a {@code POST /api/v1/rollouts} body that creates such a rollout
 * @param commands wave 1's installs as the dispatcher would send them
 */
public record WarmUpRound(Rollout rollout, String requestBody, List<InstallRequested> commands) {
}
