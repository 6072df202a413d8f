package io.updraft.support.lifecycle;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One background thread that repeats a unit of work (relay a batch, dispatch a chunk): at once while work is waiting,
 * otherwise after a wake-up (a local commit) or the idle poll (work another replica left); a failing step is retried
 * with exponential back-off from 100 ms to 5 s.
 */
public final class WorkLoop {
    /** One unit of work. */
    @FunctionalInterface
    public interface Step {
        /** @return true if more work is waiting, so the loop runs again at once */
        boolean run() throws Exception;
    }

    private final String name;
    private final Duration idlePoll;
    private final Step step;
    private final Logger log;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    public WorkLoop(String name, Duration idlePoll, Logger log, Step step) {
        this.name = name;
        this.idlePoll = idlePoll;
        this.log = log;
        this.step = step;
    }

    /** Starts the thread with the caller's context class loader (the application's, under Quarkus). */
    public synchronized void start() {
        running = true;
        worker = new Thread(this::run, name);
        worker.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        worker.setDaemon(true);
        worker.start();
    }

    public synchronized void stop() throws InterruptedException {
        running = false;
        if (worker != null) {
            wakeUps.release();
            worker.join(5_000);
        }
    }

    /** Runs the step soon, without waiting for the idle poll. */
    public void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            try {
                boolean more = step.run();
                backoffMillis = 100;
                if (!more) {
                    wakeUps.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    log.warnf("%s failed, retrying in %d ms: %s", name, backoffMillis, e.toString());
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }
}
