package dev.vecpersist.core;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LoadPipeline} against a fast reader and a slow consumer (the reader fails well ahead of
 * where the second thread is) and against a slow reader and a fast consumer: the first problem in
 * file order wins either way, and nothing reaches the consumer after the pipeline returned.
 */
class LoadPipelineTest {

    private static final int N = 1000;
    private static final Path FILE = Path.of("state-under-test");

    private static StateHeader header(long entries) {
        return new StateHeader(2, StateHeader.Kind.FULL, 2, Metric.COSINE, entries, 0, Instant.EPOCH, Map.of(), null);
    }

    /** Entries 0.. with ids e-i; {@code emptyId} gets an empty id; decoding {@code failAt} fails; each takes {@code nanos}. */
    private static StateReader reader(long announced, int emptyId, int failAt, int total, long nanos, boolean readsAhead) {
        return new StateReader() {
            private int next;

            @Override
            public StateHeader header() {
                return LoadPipelineTest.header(announced);
            }

            @Override
            public VectorEntry nextEntry() throws IOException {
                if (nanos > 0) {
                    LockSupport.parkNanos(nanos);
                }
                if (next == failAt) {
                    throw new IOException("cannot decode entry " + failAt + " (test)");
                }
                if (next == total) {
                    return null;
                }
                int i = next++;
                return new VectorEntry(i == emptyId ? "" : "e-" + i, new float[] {i, 1}, Map.of("i", (long) i));
            }

            @Override
            public boolean readsAhead() {
                return readsAhead;
            }

            @Override
            public String nextDeletion() {
                return null;
            }

            @Override
            public String storedChecksum() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Records ids and the threads it ran on; takes {@code nanos} per entry. */
    private static class Recording implements StateFileReader.Consumer {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final Set<String> threads = Collections.synchronizedSet(new java.util.HashSet<>());
        final long nanos;

        Recording(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public void entry(VectorEntry entry) {
            if (nanos > 0) {
                LockSupport.parkNanos(nanos);
            }
            threads.add(Thread.currentThread().getName());
            ids.add(entry.id());
        }

        @Override
        public void deletion(String id) {
        }
    }

    private static ProgressReporter progress() {
        return new ProgressReporter("test", N, null, Integer.MAX_VALUE);
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("e-" + i);
        }
        return ids;
    }

    @Test
    void everyEntryReachesTheConsumerInFileOrderOnASecondThreadWithTheChecksumOfOneThread() throws IOException {
        Recording consumer = new Recording(0);
        ContentChecksum pipelined = new ContentChecksum(header(N));
        long read = LoadPipeline.readEntries(FILE, reader(N, -1, -1, N, 0, false), header(N), pipelined, consumer, progress());
        ContentChecksum inline = new ContentChecksum(header(N));
        for (int i = 0; i < N; i++) {
            inline.addEntry(new VectorEntry("e-" + i, new float[] {i, 1}, Map.of("i", (long) i)));
        }
        assertThat(read).isEqualTo(N);
        assertThat(consumer.ids).isEqualTo(ids(N));
        assertThat(consumer.threads).containsExactly("vecpersist-stage-load");
        assertThat(pipelined.value()).isEqualTo(inline.value());
    }

    @Test
    void aReaderThatReadsAheadItselfKeepsTheConsumerOnTheCallersThread() throws IOException {
        Recording consumer = new Recording(0);
        LoadPipeline.readEntries(FILE, reader(N, -1, -1, N, 0, true), header(N), null, consumer, progress());
        assertThat(consumer.ids).isEqualTo(ids(N));
        assertThat(consumer.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aFewEntriesAreReadOnTheCallersThread() throws IOException {
        Recording consumer = new Recording(0);
        LoadPipeline.readEntries(FILE, reader(10, -1, -1, 10, 0, false), header(10), null, consumer, progress());
        assertThat(consumer.ids).isEqualTo(ids(10));
        assertThat(consumer.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aBrokenRuleIsReportedBeforeALaterDecodingFailureAndNothingArrivesAfterTheReturn() {
        Recording slow = new Recording(200_000);
        assertThatThrownBy(() -> LoadPipeline.readEntries(FILE, reader(N, 300, 700, N, 0, false), header(N),
                new ContentChecksum(header(N)), slow, progress()))
                .isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining(FILE.toString()).hasMessageContaining("entry 300: id is empty");
        assertThat(slow.ids).isEqualTo(ids(300));
        LockSupport.parkNanos(20_000_000);
        assertThat(slow.ids).hasSize(300);
    }

    @Test
    void aSlowReaderAndAFastConsumerStillReportTheBrokenRuleFirst() {
        Recording fast = new Recording(0);
        assertThatThrownBy(() -> LoadPipeline.readEntries(FILE, reader(N, 300, 700, N, 20_000, false), header(N),
                null, fast, progress()))
                .isInstanceOf(CorruptedStateException.class).hasMessageContaining("entry 300: id is empty");
        assertThat(fast.ids).isEqualTo(ids(300));
    }

    @Test
    void withoutABrokenRuleTheDecodingFailureArrivesAsItIsAfterEveryEntryBeforeIt() {
        Recording slow = new Recording(100_000);
        assertThatThrownBy(() -> LoadPipeline.readEntries(FILE, reader(N, -1, 700, N, 0, false), header(N), null, slow,
                progress()))
                .isInstanceOf(IOException.class).hasMessage("cannot decode entry 700 (test)");
        assertThat(slow.ids).isEqualTo(ids(700));
    }

    @Test
    void moreEntriesThanAnnouncedIsCorruptionAfterTheEarlierEntriesWereChecked() {
        Recording slow = new Recording(100_000);
        assertThatThrownBy(() -> LoadPipeline.readEntries(FILE, reader(N - 1, 500, -1, N, 0, false), header(N - 1),
                null, slow, progress()))
                .isInstanceOf(CorruptedStateException.class).hasMessageContaining("entry 500: id is empty");
        Recording other = new Recording(0);
        assertThatThrownBy(() -> LoadPipeline.readEntries(FILE, reader(N - 1, -1, -1, N, 0, false), header(N - 1),
                null, other, progress()))
                .isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("the file holds more entries than the 999 its header announces");
        assertThat(other.ids).isEqualTo(ids(N - 1));
    }

    /** A reader of the given vectors (dimension 2), ids e-0.., announcing as many entries. */
    private static StateReader readerOf(List<float[]> vectors) {
        return new StateReader() {
            private int next;

            @Override
            public StateHeader header() {
                return LoadPipelineTest.header(vectors.size());
            }

            @Override
            public VectorEntry nextEntry() {
                return next == vectors.size() ? null : new VectorEntry("e-" + next, vectors.get(next++));
            }

            @Override
            public String nextDeletion() {
                return null;
            }

            @Override
            public String storedChecksum() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void theNormsComeWithTheEntriesAndHugeFiniteVectorsPassTheFinitenessCheck() throws IOException {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // the squares of the largest floats overflow a float sum, not the double one the check uses
            vectors.add(i % 3 == 0 ? new float[] {Float.MAX_VALUE, -Float.MAX_VALUE} : new float[] {i, 1});
        }
        List<Float> norms = Collections.synchronizedList(new ArrayList<>());
        Recording consumer = new Recording(0) {
            @Override
            public void entry(VectorEntry entry, float norm) {
                norms.add(norm);
                entry(entry);
            }
        };
        assertThat(LoadPipeline.readEntries(FILE, readerOf(vectors), header(N), null, consumer, progress())).isEqualTo(N);
        assertThat(consumer.ids).isEqualTo(ids(N));
        for (int i = 0; i < N; i++) {
            assertThat(norms.get(i)).as("norm of entry " + i).isEqualTo(Similarity.norm(vectors.get(i)));
        }
        assertThat(norms.get(0)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void aNonFiniteComponentIsNamedAfterTheEntriesBeforeItOnBothPaths() {
        for (boolean threaded : new boolean[] {true, false}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                List<float[]> vectors = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    vectors.add(i == 600 ? new float[] {Float.MAX_VALUE, bad} : new float[] {i, Float.MAX_VALUE});
                }
                Recording consumer = new Recording(0);
                LoadPipeline.enabled = threaded;
                try {
                    assertThatThrownBy(() -> LoadPipeline.readEntries(FILE, readerOf(vectors), header(N),
                            new ContentChecksum(header(N)), consumer, progress()))
                            .isInstanceOf(CorruptedStateException.class)
                            .hasMessage(FILE + ": entry 600: entry 'e-600' has a non-finite component " + bad + " at index 1");
                } finally {
                    LoadPipeline.enabled = true;
                }
                assertThat(consumer.ids).isEqualTo(ids(600));
            }
        }
    }

    @Test
    void theSwitchOffReadsOnTheCallersThread() throws IOException {
        LoadPipeline.enabled = false;
        try {
            Recording consumer = new Recording(0);
            LoadPipeline.readEntries(FILE, reader(N, -1, -1, N, 0, false), header(N), null, consumer, progress());
            assertThat(consumer.ids).isEqualTo(ids(N));
            assertThat(consumer.threads).containsExactly(Thread.currentThread().getName());
        } finally {
            LoadPipeline.enabled = true;
        }
    }
}
