package io.updraft.gateway.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DeviceViewCacheTest {
    private final AtomicInteger loads = new AtomicInteger();
    private final List<Runnable> duringNextLoad = new ArrayList<>();

    private final Function<String, PollView> loader = id -> {
        int version = loads.incrementAndGet();
        List<Runnable> hooks = List.copyOf(duringNextLoad);
        duringNextLoad.clear();
        hooks.forEach(Runnable::run);
        return new PollView(id, true, "v" + version, true, false, null);
    };

    @Test
    void givenListeningCache_whenPolledTwice_thenLoadedOnce() {
        DeviceViewCache cache = listening();

        cache.get("d1");
        PollView second = cache.get("d1");

        assertThat(loads).hasValue(1);
        assertThat(second.tokenSha256()).isEqualTo("v1");
    }

    @Test
    void givenEvictionDuringAFill_whenTheFillCompletes_thenItsStaleValueIsNotCached() {
        DeviceViewCache cache = listening();
        duringNextLoad.add(() -> cache.evict("d1"));

        PollView raced = cache.get("d1");
        PollView next = cache.get("d1");

        assertThat(raced.tokenSha256()).isEqualTo("v1");
        assertThat(next.tokenSha256()).isEqualTo("v2");
        assertThat(cache.get("d1").tokenSha256()).isEqualTo("v2");
    }

    @Test
    void givenClearDuringAFill_whenTheFillCompletes_thenItsValueIsNotCached() {
        DeviceViewCache cache = listening();
        duringNextLoad.add(cache::clear);

        cache.get("d1");
        cache.get("d1");

        assertThat(loads).hasValue(2);
    }

    @Test
    void givenEvictedEntry_whenPolled_thenReloaded() {
        DeviceViewCache cache = listening();
        cache.get("d1");

        cache.evict("d1");

        assertThat(cache.get("d1").tokenSha256()).isEqualTo("v2");
    }

    @Test
    void givenListenerIsDown_whenPolled_thenEveryPollGoesToTheStore() {
        DeviceViewCache cache = listening();
        cache.get("d1");

        cache.deaf();
        cache.get("d1");
        cache.get("d1");

        assertThat(loads).hasValue(3);
    }

    private DeviceViewCache listening() {
        DeviceViewCache cache = new DeviceViewCache(loader);
        cache.listening();
        return cache;
    }
}
