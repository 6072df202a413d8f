package io.updraft.telemetry.messaging.streams;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A store builder that builds Kafka's store and wraps it ({@link WriteBackStore}, {@link OrderedWindowStore}): name,
 * logging and caching are the inner builder's.
 */
abstract class WrappingStoreBuilder<T extends StateStore> implements StoreBuilder<T> {
    final StoreBuilder<T> inner;

    WrappingStoreBuilder(StoreBuilder<T> inner) {
        this.inner = inner;
    }

    /** The wrapper around the store the inner builder built. */
    abstract T wrap(T built);

    @Override
    public T build() {
        return wrap(inner.build());
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        inner.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        inner.withCachingDisabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
