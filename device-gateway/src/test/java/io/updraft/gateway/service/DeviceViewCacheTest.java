package io.updraft.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.gateway.domain.PollView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return new PollView(true, ("v" + version).getBytes(StandardCharsets.US_ASCII), true, false, 0, null);
    };

    @Test
    void givenListeningCache_whenPolledTwice_thenLoadedOnce() {
        DeviceViewCache cache = listening();

        cache.get("d1");
        PollView second = cache.get("d1");

        assertThat(loads).hasValue(1);
        assertThat(second.tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v1");
    }

    @Test
    void givenEvictionDuringAFill_whenTheFillCompletes_thenItsStaleValueIsNotCached() {
        DeviceViewCache cache = listening();
        duringNextLoad.add(() -> cache.evict("d1"));

        PollView raced = cache.get("d1");
        PollView next = cache.get("d1");

        assertThat(raced.tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v1");
        assertThat(next.tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v2");
        assertThat(cache.get("d1").tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v2");
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

        assertThat(cache.get("d1").tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v2");
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

    @Test
    void givenUnknownDevice_whenPolled_thenNotCachedSoMadeUpIdsCannotGrowTheHeap() {
        DeviceViewCache cache = new DeviceViewCache(id -> {
            loads.incrementAndGet();
            return PollView.UNKNOWN;
        });
        cache.listening();

        cache.get("nobody");
        cache.get("nobody");

        assertThat(loads).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void givenWarmUpSnapshot_whenADeviceWasEvictedOrLoadedMeanwhile_thenTheSnapshotDoesNotOverwriteIt() {
        DeviceViewCache cache = listening();
        cache.get("loaded");          // v1, loaded after the snapshot began
        cache.evict("changed");       // a change heard after the snapshot began
        PollView stale = new PollView(true, "stale".getBytes(StandardCharsets.US_ASCII), true, true, 0, null);

        cache.warm(sink -> Map.of("loaded", stale, "changed", stale, "quiet", stale).forEach(sink));

        assertThat(cache.get("loaded").tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v1");
        assertThat(cache.get("changed").tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v2");
        assertThat(cache.get("quiet")).isSameAs(stale);
        assertThat(loads).hasValue(2);
    }

    @Test
    void givenWarmUpRunning_whenTheCacheIsClearedMidWay_thenItsLaterEntriesGoNowhere() {
        DeviceViewCache cache = listening();
        PollView stale = new PollView(true, "stale".getBytes(StandardCharsets.US_ASCII), true, true, 0, null);

        cache.warm(sink -> {
            sink.accept("a", stale);
            cache.clear();
            sink.accept("b", stale);
        });

        assertThat(cache.size()).isZero();
        assertThat(cache.get("b").tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v1");
    }

    @Test
    void givenABatchClaimedItsSlots_whenADeviceIsEvictedBeforeTheFill_thenOnlyTheOthersAreCached() {
        DeviceViewCache cache = listening();
        DeviceViewCache.Claim quiet = cache.claim("quiet");
        DeviceViewCache.Claim changed = cache.claim("changed");
        PollView read = new PollView(true, "batch".getBytes(StandardCharsets.US_ASCII), true, true, 0, null);

        cache.evict("changed"); // a change notified while the batch was reading
        cache.fill(quiet, read);
        cache.fill(changed, read);

        assertThat(cache.peek("quiet")).isSameAs(read);
        assertThat(cache.peek("changed")).isNull();
        assertThat(loads).hasValue(0);
    }

    @Test
    void givenABatchFoundNoSuchDevice_whenFilled_thenItsSlotIsGone() {
        DeviceViewCache cache = listening();

        cache.fill(cache.claim("made-up"), PollView.UNKNOWN);

        assertThat(cache.size()).isZero();
    }

    @Test
    void givenTheListenerIsDown_whenABatchClaims_thenNothingIsCached() {
        DeviceViewCache cache = listening();
        cache.deaf();

        DeviceViewCache.Claim claim = cache.claim("d1");
        cache.fill(claim, new PollView(true, null, true, true, 0, null));

        assertThat(claim).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void givenACachedDevice_whenItPollsWithinTheSample_thenOnlyTheFirstPollOwesAHeartbeat() {
        DeviceViewCache cache = listening();
        cache.get("d1");

        assertThat(cache.claimHeartbeat("d1", 1_000_000, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.DUE);
        assertThat(cache.claimHeartbeat("d1", 1_000_001, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.NOT_DUE);
        assertThat(cache.claimHeartbeat("d1", 1_299_999, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.NOT_DUE);
        assertThat(cache.claimHeartbeat("d1", 1_300_000, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.DUE);
    }

    @Test
    void givenAHeartbeatWasSent_whenTheDeviceIsEvictedAndReloaded_thenTheNextPollWithinTheSampleOwesNone() {
        DeviceViewCache cache = listening();
        cache.get("d1");
        cache.claimHeartbeat("d1", 1_000_000, 300_000);

        cache.evict("d1");
        assertThat(cache.claimHeartbeat("d1", 1_000_500, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.NOT_DUE);
        cache.get("d1");

        assertThat(cache.claimHeartbeat("d1", 1_001_000, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.NOT_DUE);
        assertThat(cache.get("d1").tokenSha256()).asString(StandardCharsets.US_ASCII).isEqualTo("v2");
    }

    @Test
    void givenNoSlot_whenAHeartbeatIsClaimed_thenTheCallerIsToldToKeepTrackItself() {
        DeviceViewCache cache = listening();
        cache.get("d1");

        assertThat(cache.claimHeartbeat("never-polled", 1_000_000, 300_000))
                .isEqualTo(DeviceViewCache.Heartbeat.NO_SLOT);
        cache.deaf();
        assertThat(cache.claimHeartbeat("d1", 1_000_000, 300_000)).isEqualTo(DeviceViewCache.Heartbeat.NO_SLOT);
    }

    @Test
    void givenManyThreadsPollingOneDevice_whenTheHeartbeatIsDue_thenExactlyOneOwesIt() throws Exception {
        DeviceViewCache cache = listening();
        cache.get("d1");
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<DeviceViewCache.Heartbeat>> claims = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            claims.add(pool.submit(() -> {
                start.await();
                return cache.claimHeartbeat("d1", 1_000_000, 300_000);
            }));
        }
        start.countDown();
        int due = 0;
        for (java.util.concurrent.Future<DeviceViewCache.Heartbeat> claim : claims) {
            due += claim.get() == DeviceViewCache.Heartbeat.DUE ? 1 : 0;
        }
        pool.shutdown();

        assertThat(due).isEqualTo(1);
    }

    private DeviceViewCache listening() {
        DeviceViewCache cache = new DeviceViewCache(loader);
        cache.listening();
        return cache;
    }
}
