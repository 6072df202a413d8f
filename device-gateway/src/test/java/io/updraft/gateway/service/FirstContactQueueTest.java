package io.updraft.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.gateway.domain.PollView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FirstContactQueueTest {
    private final List<List<FirstContactQueue.Visit>> batches = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
    private FirstContactQueue queue;

    /** Known devices are those whose id starts with "known"; the first batch waits for {@link #release}. */
    private Map<String, PollView> apply(List<FirstContactQueue.Visit> visits) throws InterruptedException {
        synchronized (batches) {
            batches.add(visits);
        }
        firstBatchStarted.countDown();
        release.await(10, TimeUnit.SECONDS);
        Map<String, PollView> views = new HashMap<>();
        for (FirstContactQueue.Visit visit : visits) {
            if (visit.registers() || visit.controllerId().startsWith("known")) {
                views.put(visit.key(), new PollView(true, null, visit.registers(), false, 0, null));
            }
        }
        return views;
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void givenManyVisitsWhileTheWriterIsBusy_whenItIsFree_thenTheyAreAppliedInBatchesOfAtMostBatchSize()
            throws Exception {
        queue = new FirstContactQueue("test", 1_000, 100, this::apply);
        CompletableFuture<PollView> blocker = queue.submit(new FirstContactQueue.Visit("DEFAULT", "first", true));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<PollView>> answers = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            answers.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", "dev-" + i, true)));
        }

        release.countDown();

        for (CompletableFuture<PollView> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS).registered()).isTrue();
        }
        assertThat(blocker.get(5, TimeUnit.SECONDS).known()).isTrue();
        assertThat(batches).hasSize(4); // the blocker alone, then 100 + 100 + 50
        assertThat(batches.subList(1, 4)).extracting(List::size).containsExactly(100, 100, 50);
    }

    @Test
    void givenTheSameDeviceTwiceInABatch_whenApplied_thenItIsVisitedOnceAndRegisteringWins() throws Exception {
        queue = new FirstContactQueue("test", 100, 100, this::apply);
        queue.submit(new FirstContactQueue.Visit("DEFAULT", "first", true));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<PollView> load = queue.submit(new FirstContactQueue.Visit("DEFAULT", "d1", false));
        CompletableFuture<PollView> register = queue.submit(new FirstContactQueue.Visit("DEFAULT", "d1", true));

        release.countDown();

        assertThat(register.get(5, TimeUnit.SECONDS).registered()).isTrue();
        assertThat(load.get(5, TimeUnit.SECONDS).registered()).isTrue();
        assertThat(batches.get(1)).containsExactly(new FirstContactQueue.Visit("DEFAULT", "d1", true));
    }

    @Test
    void givenTwoTenantsSameControllerIdInABatch_whenApplied_thenEachIsVisitedAndAnsweredForItsOwnTenant()
            throws Exception {
        queue = new FirstContactQueue("test", 100, 100, this::apply);
        queue.submit(new FirstContactQueue.Visit("DEFAULT", "first", true));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<PollView> acme = queue.submit(new FirstContactQueue.Visit("ACME", "gw-1", true));
        CompletableFuture<PollView> globex = queue.submit(new FirstContactQueue.Visit("GLOBEX", "gw-1", false));

        release.countDown();

        assertThat(acme.get(5, TimeUnit.SECONDS).registered()).isTrue();
        assertThat(globex.get(5, TimeUnit.SECONDS).known()).isFalse(); // GLOBEX's gw-1 is not ACME's
        assertThat(batches.get(1)).containsExactly(new FirstContactQueue.Visit("ACME", "gw-1", true),
                new FirstContactQueue.Visit("GLOBEX", "gw-1", false));
    }

    @Test
    void givenAnUnknownDeviceLoadedOnly_whenApplied_thenItsAnswerIsUnknown() throws Exception {
        queue = new FirstContactQueue("test", 100, 100, this::apply);
        release.countDown();

        assertThat(queue.submit(new FirstContactQueue.Visit("DEFAULT", "made-up", false)).get(5, TimeUnit.SECONDS).known())
                .isFalse();
        assertThat(queue.submit(new FirstContactQueue.Visit("DEFAULT", "known-1", false)).get(5, TimeUnit.SECONDS).known())
                .isTrue();
    }

    @Test
    void givenAFullQueue_whenOneMoreVisitComes_thenItIsRefusedAtOnce() throws Exception {
        queue = new FirstContactQueue("test", 2, 10, this::apply);
        queue.submit(new FirstContactQueue.Visit("DEFAULT", "first", true));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<PollView> a = queue.submit(new FirstContactQueue.Visit("DEFAULT", "a", true));
        CompletableFuture<PollView> b = queue.submit(new FirstContactQueue.Visit("DEFAULT", "b", true));

        CompletableFuture<PollView> refused = queue.submit(new FirstContactQueue.Visit("DEFAULT", "c", true));

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(FirstContactQueue.Full.class);
        release.countDown();
        assertThat(a.get(5, TimeUnit.SECONDS).registered()).isTrue();
        assertThat(b.get(5, TimeUnit.SECONDS).registered()).isTrue();
    }

    @Test
    void givenAFailingBatch_whenApplied_thenEveryVisitOfItFailsAndTheWriterGoesOn() throws Exception {
        int[] calls = { 0 };
        queue = new FirstContactQueue("test", 100, 100, visits -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("database down");
            }
            return Map.of(visits.get(0).controllerId(), new PollView(true, null, true, false, 0, null));
        });

        CompletableFuture<PollView> failed = queue.submit(new FirstContactQueue.Visit("DEFAULT", "a", true));
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);

        assertThat(queue.submit(new FirstContactQueue.Visit("DEFAULT", "b", true)).get(5, TimeUnit.SECONDS).registered())
                .isTrue();
    }

    @Test
    void givenOneVisitTheDatabaseRefusesInABatch_whenApplied_thenOnlyThatVisitFailsAndTheOthersAreRegistered()
            throws Exception {
        List<List<FirstContactQueue.Visit>> applied = new ArrayList<>();
        queue = new FirstContactQueue("test", 100, 100, visits -> {
            applied.add(visits);
            if (visits.get(0).controllerId().equals("blocker")) {
                firstBatchStarted.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            if (visits.stream().anyMatch(v -> v.controllerId().equals("poison"))) {
                throw new IllegalStateException("value too long for type character varying(200)");
            }
            return this.apply(visits);
        });
        queue.submit(new FirstContactQueue.Visit("DEFAULT", "blocker", true));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<PollView>> good = new ArrayList<>();
        good.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", "good-1", true)));
        good.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", "good-2", true)));
        CompletableFuture<PollView> poison = queue.submit(new FirstContactQueue.Visit("DEFAULT", "poison", true));
        good.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", "good-3", true)));
        good.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", "good-4", false)));

        release.countDown();

        assertThatThrownBy(() -> poison.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        for (CompletableFuture<PollView> answer : good) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(good.subList(0, 3)).allSatisfy(answer -> assertThat(answer.join().registered()).isTrue());
        assertThat(applied.get(1)).hasSize(5); // the whole batch first, then each of its visits alone
        assertThat(applied.subList(2, applied.size())).allSatisfy(batch -> assertThat(batch).hasSize(1));
    }

    @Test
    void givenADatabaseThatRefusesEveryVisit_whenABatchFails_thenOnlyAFewAreTriedAloneBeforeAllFail()
            throws Exception {
        List<List<FirstContactQueue.Visit>> applied = new ArrayList<>();
        queue = new FirstContactQueue("test", 100, 100, visits -> {
            applied.add(visits);
            if (visits.get(0).controllerId().equals("blocker")) {
                firstBatchStarted.countDown();
                release.await(10, TimeUnit.SECONDS);
                return Map.of();
            }
            throw new IllegalStateException("database down");
        });
        queue.submit(new FirstContactQueue.Visit("DEFAULT", "blocker", true));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<PollView>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(queue.submit(new FirstContactQueue.Visit("DEFAULT", "dev-" + i, true)));
        }

        release.countDown();

        for (CompletableFuture<PollView> answer : answers) {
            assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        }
        assertThat(applied).as("the blocker, the batch of 50, then a few alone").hasSizeLessThanOrEqualTo(2 + 4);
    }
}
