package dev.vecpersist.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderedStageTest {

    @Test
    void runsTheTaskOnEveryItemInOrderOnASecondThread() {
        List<Integer> seen = new ArrayList<>();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        int n = 5 * OrderedStage.BATCH + 17;
        try (OrderedStage<Integer> stage = new OrderedStage<>("test", true, i -> {
            seen.add(i);
            threads.add(Thread.currentThread().getName());
        })) {
            for (int i = 0; i < n; i++) {
                stage.submit(i % 100 == 0 ? null : i); // null is an item like any other
            }
            stage.finish();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i % 100 == 0 ? null : i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(threads).doesNotContain(Thread.currentThread().getName()).allMatch(t -> t.equals("vecpersist-stage-test"));
    }

    @Test
    void inlineRunsOnTheCallersThread() {
        List<String> threads = new ArrayList<>();
        try (OrderedStage<Integer> stage = new OrderedStage<>("test", false, i -> threads.add(Thread.currentThread().getName()))) {
            stage.submit(1);
            stage.submit(2);
            stage.finish();
        }
        assertThat(threads).containsExactly(Thread.currentThread().getName(), Thread.currentThread().getName());
    }

    @Test
    void theTasksFailureReachesTheProducerAsItWasThrownAndLaterItemsAreSkipped() {
        IllegalStateException boom = new IllegalStateException("item 300 is bad (test)");
        AtomicInteger ran = new AtomicInteger();
        int n = 8 * OrderedStage.BATCH;
        RuntimeException[] caught = new RuntimeException[1];
        int[] submitted = {0};
        try (OrderedStage<Integer> stage = new OrderedStage<>("test", true, i -> {
            ran.incrementAndGet();
            if (i == 300) {
                throw boom;
            }
        })) {
            try {
                for (int i = 0; i < n; i++) {
                    stage.submit(i);
                    submitted[0]++;
                }
                stage.finish();
            } catch (RuntimeException e) {
                caught[0] = e;
            }
        }
        assertThat(caught[0]).isSameAs(boom);
        assertThat(ran.get()).isEqualTo(301);
    }

    @Test
    void finishAfterAFailureOfTheTaskRethrowsIt() {
        IllegalArgumentException boom = new IllegalArgumentException("the last item is bad (test)");
        try (OrderedStage<Integer> stage = new OrderedStage<>("test", true, i -> {
            if (i == 9) {
                throw boom;
            }
        })) {
            for (int i = 0; i < 10; i++) {
                stage.submit(i);
            }
            assertThatThrownBy(stage::finish).isSameAs(boom);
        }
    }

    @Test
    void closeWithoutFinishStopsTheWorkerBeforeItReturns() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try (OrderedStage<Integer> stage = new OrderedStage<>("test", true, i -> {
            started.countDown();
            ran.incrementAndGet();
            try {
                Thread.sleep(1); // a slow task: most items are still queued when the producer gives up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            for (int i = 0; i < 4 * OrderedStage.BATCH; i++) {
                stage.submit(i);
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        } // the producer gives up
        int atClose = ran.get();
        Thread.sleep(50);
        assertThat(ran.get()).isEqualTo(atClose).isLessThan(4 * OrderedStage.BATCH);
    }

    @Test
    void aProducerInterruptedWhileWaitingKeepsTheInterruptAndLosesNoItem() {
        AtomicInteger ran = new AtomicInteger();
        try (OrderedStage<Integer> stage = new OrderedStage<>("test", true, i -> ran.incrementAndGet())) {
            Thread.currentThread().interrupt();
            for (int i = 0; i < 10 * OrderedStage.BATCH; i++) {
                stage.submit(i);
            }
            stage.finish();
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(ran.get()).isEqualTo(10 * OrderedStage.BATCH);
    }
}
