package io.updraft.rollout.service;

/**
 * Fired (a CDI event) after a transaction that started a wave committed: its dispatch row is there, so the command
 * dispatcher, which otherwise looks only every {@code updraft.dispatch.idle-poll}, starts sending at once.
 */
public enum WavesToDispatch {
    COMMITTED
}
