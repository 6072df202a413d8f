package io.updraft.rollout.service;

import io.quarkus.runtime.StartupEvent;
import io.updraft.rollout.config.WarmUpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The first rollout after a start paid for class loading, first statements and the interpreter (1.4 s instead of
 * 0.36 s to wave 1 on the topic): at start the service rehearses it ({@link WarmUpRehearsal}, a few rounds, each
 * rolled back) on a thread of its own, and {@code /q/health/ready} is DOWN until the rehearsal ended — or failed, or
 * ran past {@code updraft.rollout.warm-up.timeout}: both are logged, neither stops the service.
 */
@ApplicationScoped
@Readiness
public class StartupWarmUp implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(StartupWarmUp.class);

    enum State {
        PENDING, RUNNING, DONE, FAILED, OFF
    }

    @Inject
    WarmUpConfig config;
    @Inject
    WarmUpRehearsal rehearsal;

    private volatile State state = State.PENDING;
    private volatile long startedNanos;
    private volatile boolean timeoutLogged;

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            state = State.OFF;
            return;
        }
        startedNanos = System.nanoTime();
        state = State.RUNNING;
        Thread thread = new Thread(this::run, "rollout-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            StringBuilder rounds = new StringBuilder();
            int commands = 0;
            for (int i = 0; i < config.rounds(); i++) {
                long started = System.nanoTime();
                commands = rehearsal.rehearse(config.devices());
                rounds.append(i == 0 ? "" : ", ").append((System.nanoTime() - started) / 1_000_000).append(" ms");
            }
            state = State.DONE;
            LOG.infof("warm-up: the first rollout rehearsed in %d rounds (%s; %d commands of wave 1 built, none "
                    + "sent, every round rolled back)", config.rounds(), rounds, commands);
        } catch (Exception | LinkageError e) {
            state = State.FAILED;
            LOG.warnf(e, "warm-up: the rehearsal of the first rollout failed after %d ms; ready without it (the "
                    + "first rollout will be slower)", (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    /** Whether the rehearsal is over (done, failed, switched off, or past its timeout). */
    public boolean finished() {
        return state != State.RUNNING && state != State.PENDING;
    }

    @Override
    public HealthCheckResponse call() {
        boolean timedOut = !finished() && state == State.RUNNING
                && System.nanoTime() - startedNanos > config.timeout().toNanos();
        if (timedOut && !timeoutLogged) {
            timeoutLogged = true;
            LOG.warnf("warm-up: still rehearsing after %s; ready without waiting for it", config.timeout());
        }
        return HealthCheckResponse.named("warm-up").status(finished() || timedOut)
                .withData("state", timedOut ? "TIMED_OUT" : state.name()).build();
    }
}
