package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.CommitVersion;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.ReplicaListener;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vecpersist.it.AllFormatsAndCodecsTest.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Read-only managers over every format x codec: they read a directory while its owner commits and
 * compacts, hold only committed versions, take no lock, write nothing, and refuse saves.
 */
class ReadOnlyManagerTest {

    private static final int DIM = 16;

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts(String format, String codec) {
        return PersistenceOptions.builder().baseDir(dir).format(format).compression(codec).maxDeltas(2).maxDeltaRatio(100);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void readsOnlyCommittedVersionsWhileAWriterCommits(String format, String codec) throws Exception {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.mixedMetadataEntries(200, DIM, 1));
        Map<CommitVersion, List<VectorEntry>> committed = new ConcurrentHashMap<>();
        List<Map.Entry<CommitVersion, List<VectorEntry>>> held = new ArrayList<>();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        try (DatabasePersistence w = new DatabasePersistence(source, opts(format, codec).build())) {
            w.saveIncremental();
            committed.put(w.version().orElseThrow(), contents(source));
            Thread writer = new Thread(() -> {
                Random random = new Random(7);
                try {
                    for (int i = 0; i < 12; i++) {
                        for (int k = 0; k < 5; k++) {
                            source.insert(new VectorEntry("w" + i + "-" + k, TestStates.randomVector(random, DIM),
                                    Map.of("round", (long) i)));
                        }
                        source.delete("vec-" + random.nextInt(200));
                        w.saveIncremental(); // every third is a compaction (maxDeltas 2)
                        committed.put(w.version().orElseThrow(), contents(source));
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "writer");

            VectorDB replica = new VectorDB(DIM, Metric.COSINE);
            try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts(format, codec).build())) {
                r.load();
                held.add(Map.entry(r.version().orElseThrow(), contents(replica)));
                writer.start();
                while (writer.isAlive()) {
                    if (r.refresh().isPresent()) {
                        held.add(Map.entry(r.version().orElseThrow(), contents(replica)));
                    }
                    Thread.sleep(2);
                }
                writer.join();
                assertThat(writerFailure.get()).isNull();
                r.refresh();
                held.add(Map.entry(r.version().orElseThrow(), contents(replica)));

                assertThat(r.version()).isEqualTo(w.version());
                assertThat(contents(replica)).containsExactlyElementsOf(contents(source));
                for (Map.Entry<CommitVersion, List<VectorEntry>> h : held) {
                    assertThat(committed).containsKey(h.getKey());
                    assertThat(h.getValue()).as("content held at " + h.getKey())
                            .containsExactlyElementsOf(committed.get(h.getKey()));
                }
                assertThatThrownBy(r::save).isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
                assertThatThrownBy(r::saveIncremental).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> r.createSnapshot("s")).isInstanceOf(IllegalStateException.class);
            }
        }

        // with the writer gone: a replica changes nothing in the directory (names and modification times)
        Map<String, Long> before = listing(dir);
        VectorDB again = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(again, opts(format, codec).build())) {
            r.load();
            List<ReplicaListener.Applied> none = new ArrayList<>();
            r.addReplicaListener(none::add);
            assertThat(r.refresh()).isEmpty();
            assertThat(none).isEmpty();
        }
        assertThat(listing(dir)).isEqualTo(before);
        assertThat(contents(again)).containsExactlyElementsOf(contents(source));

        // and takes no lock: a writer opens while it is open (above, it was opened while a writer held it)
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE),
                opts(format, codec).build());
             DatabasePersistence w = new DatabasePersistence(new VectorDB(DIM, Metric.COSINE), opts(format, codec).build())) {
            r.load();
            assertThat(w.version()).isEqualTo(r.version());
        }
    }

    private static Map<String, Long> listing(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.put(root.relativize(f).toString(), Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS));
            }
        }
        return out;
    }
}
