package dev.vecpersist.langchain4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class GroupCommitTest {

    @Test
    void writers_waiting_during_a_save_share_the_next_one() throws Exception {
        AtomicLong sequence = new AtomicLong(1);
        AtomicInteger saves = new AtomicInteger();
        CountDownLatch firstSaveRunning = new CountDownLatch(1);
        CountDownLatch releaseFirstSave = new CountDownLatch(1);
        GroupCommit commit = new GroupCommit(sequence::get, () -> {
            if (saves.incrementAndGet() == 1) {
                firstSaveRunning.countDown();
                awaitQuietly(releaseFirstSave);
            }
        });
        Thread leader = new Thread(() -> commit.awaitDurable(1));
        leader.start();
        firstSaveRunning.await();
        // five more writes land while the first save runs: that save read sequence 1 and cannot cover them
        List<Thread> followers = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            long mine = sequence.incrementAndGet();
            Thread t = new Thread(() -> commit.awaitDurable(mine));
            t.start();
            followers.add(t);
        }
        for (Thread t : followers) {
            await().until(() -> t.getState() == Thread.State.WAITING);
        }
        releaseFirstSave.countDown();
        leader.join();
        for (Thread t : followers) {
            t.join();
        }
        assertThat(saves).hasValue(2);
        // everything is durable now: no further save
        commit.awaitDurable(6);
        assertThat(saves).hasValue(2);
    }

    @Test
    void a_failed_save_throws_to_its_leader_and_the_next_caller_saves_again() {
        AtomicInteger attempts = new AtomicInteger();
        GroupCommit commit = new GroupCommit(() -> 3, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        });
        assertThatThrownBy(() -> commit.awaitDurable(3)).hasMessage("disk full");
        commit.awaitDurable(3);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void a_save_recorded_from_outside_counts() {
        AtomicInteger saves = new AtomicInteger();
        GroupCommit commit = new GroupCommit(() -> 9, saves::incrementAndGet);
        commit.saved(9);
        commit.awaitDurable(9);
        assertThat(saves).hasValue(0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
