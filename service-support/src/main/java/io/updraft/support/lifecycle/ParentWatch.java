package io.updraft.support.lifecycle;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A service started by a launcher or a test JVM ({@code updraft.parent-pid} set) exits when that process exits, even
 * when it was killed with SIGKILL and had no chance to stop its children. Unset in production.
 */
@ApplicationScoped
public class ParentWatch {
    private static final Logger LOG = Logger.getLogger(ParentWatch.class);
    private static final long GRACE_MILLIS = 10_000;

    @ConfigProperty(name = "updraft.parent-pid")
    Optional<Long> parentPid;

    void watch(@Observes StartupEvent startup) {
        parentPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> exit(pid)),
                () -> exit(pid)));
    }

    private static void exit(long pid) {
        LOG.warnf("parent process %d is gone: stopping", pid);
        Quarkus.asyncExit(0);
        // the broker and database usually went with the parent: a graceful stop (Kafka Streams above all) can
        // wait for them forever, and there is nothing left to save
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
    }
}
