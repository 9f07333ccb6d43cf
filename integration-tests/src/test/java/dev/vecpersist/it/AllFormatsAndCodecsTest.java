package dev.vecpersist.it;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The manager-level behaviour, over every format x every codec on the classpath. */
class AllFormatsAndCodecsTest {

    @TempDir
    Path dir;

    static List<VectorEntry> contents(VectorDB db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    private DatabasePersistence manager(VectorDB db, String format, String codec) {
        return new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("base-" + format + "-" + codec))
                .format(format).compression(codec).batchSize(50).build());
    }

    @Test
    void theClasspathHasEveryShippedPlugin() {
        assertThat(Matrix.formats()).contains("json", "msgpack", "sqlite");
        assertThat(Matrix.codecs()).contains("none", "gzip", "brotli", "lz4");
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void roundTripsAndIsDetectedFromContent(String format, String codec) {
        List<List<VectorEntry>> cases = List.of(List.of(), TestStates.mixedMetadataEntries(300, 32, 1),
                TestStates.unicodeIdEntries(32), TestStates.extremeFloatEntriesPadded(32));
        int n = 0;
        for (List<VectorEntry> entries : cases) {
            VectorDB db = new VectorDB(32, Metric.DOT);
            db.insertBatch(entries);
            // a name that lies about both format and codec
            Path file = dir.resolve("case-" + n++ + ".txt.zip");
            List<Progress> saveProgress = new ArrayList<>();
            List<Progress> loadProgress = new ArrayList<>();
            try (DatabasePersistence p = manager(db, format, codec)) {
                p.save(file, saveProgress::add);
            }
            StateInspector.Report report = new StateInspector().inspect(file, 1);
            assertThat(report.format()).isEqualTo(format);
            assertThat(report.compression()).isEqualTo(codec);
            VectorDB fresh = new VectorDB(32, Metric.DOT);
            // a manager configured for another format and codec loads it all the same
            try (DatabasePersistence p = manager(fresh, "json", "none")) {
                p.load(file, loadProgress::add);
            }
            assertThat(contents(fresh)).containsExactlyElementsOf(contents(db));
            for (List<Progress> reports : List.of(saveProgress, loadProgress)) {
                for (int i = 1; i < reports.size(); i++) {
                    assertThat(reports.get(i).percentage()).isGreaterThanOrEqualTo(reports.get(i - 1).percentage());
                }
                assertThat(reports.get(reports.size() - 1).percentage()).isEqualTo(100.0);
            }
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.it.Matrix#formatsAndCodecs")
    void damagedFilesAreCorruptOrLoadIdentically(String format, String codec) throws IOException {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(30, 8, 2));
        Path file = dir.resolve("original");
        try (DatabasePersistence p = manager(db, format, codec)) {
            p.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Random random = new Random(format.hashCode() * 31L + codec.hashCode());
        VectorDB target = new VectorDB(8, Metric.COSINE);
        target.insert(new VectorEntry("keep", new float[8]));
        try (DatabasePersistence p = manager(target, format, codec)) {
            for (int trial = 0; trial < 40; trial++) {
                boolean truncate = trial % 2 == 0;
                byte[] bad = truncate ? Arrays.copyOf(bytes, random.nextInt(bytes.length))
                        : flip(bytes, random.nextInt(bytes.length), random);
                Path damaged = dir.resolve("damaged-" + trial);
                Files.write(damaged, bad);
                try {
                    p.load(damaged);
                    if (truncate) {
                        fail("a truncated file loaded: " + bad.length + " of " + bytes.length + " bytes");
                    }
                    assertThat(contents(target)).containsExactlyElementsOf(contents(db));
                } catch (CorruptedStateException expected) {
                    assertThat(expected.getMessage()).contains(damaged.toString());
                    assertThat(target.size()).isIn(1L, 30L);
                } catch (RuntimeException other) {
                    fail(format + "+" + codec + " trial " + trial + ": expected CorruptedStateException, got " + other, other);
                }
            }
        }
    }

    private static byte[] flip(byte[] bytes, int at, Random random) {
        byte[] copy = bytes.clone();
        copy[at] ^= (byte) (1 + random.nextInt(255));
        return copy;
    }
}
