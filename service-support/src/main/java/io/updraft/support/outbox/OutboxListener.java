package io.updraft.support.outbox;

import io.updraft.events.UpdraftEvent;
import java.util.Collection;

/**
 * Told of every batch of events the {@link Outbox} appends, in the same transaction: a service keeps a record that
 * must agree with its events (rollout-service's history) here, written or rolled back with them. Keep it cheap: a
 * wave's fan-out appends thousands of commands in one call.
 */
public interface OutboxListener {
    void appended(Collection<? extends UpdraftEvent> events);
}
