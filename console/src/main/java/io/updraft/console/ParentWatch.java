package io.updraft.console;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Started by a launcher or a test JVM ({@code updraft.parent-pid} set), the console exits when that process exits,
 * even after a SIGKILL that left it no chance to stop its children (as the services' ParentWatch in service-support,
 * which the console does not depend on: it has no database or broker). Unset in production.
 */
@ApplicationScoped
public class ParentWatch {
    private static final Logger LOG = Logger.getLogger(ParentWatch.class);

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
    }
}
