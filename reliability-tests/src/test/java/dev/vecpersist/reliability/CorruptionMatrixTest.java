package dev.vecpersist.reliability;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every format x codec: single-byte changes at 200+ offsets and truncation at 50+ lengths. Each
 * damaged file either loads data identical to the original or throws CorruptedStateException:
 * no other exception type, nothing over 10 s.
 */
class CorruptionMatrixTest {

    @TempDir
    Path dir;

    static Stream<Arguments> plugins() {
        List<String> codecs = new ArrayList<>(List.of(Plugins.NO_COMPRESSION));
        Plugins.discover().codecs().stream().map(CompressionCodec::name).forEach(codecs::add);
        return Plugins.discover().formats().stream().map(StateFormat::name)
                .flatMap(f -> codecs.stream().map(c -> Arguments.of(f, c)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("plugins")
    void damageIsDetectedOrHarmless(String format, String codec) throws Exception {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(25, 8, 1));
        List<VectorEntry> original = Trials.contents(db);
        Path file = dir.resolve("original");
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                .format(format).compression(codec).build())) {
            p.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Random random = new Random(format.hashCode() * 31L + codec.hashCode());
        int flips = Trials.scaled(200);
        int cuts = Trials.scaled(50);
        int harmless = 0;
        int detected = 0;
        for (int trial = 0; trial < flips + cuts; trial++) {
            byte[] damaged;
            String what;
            if (trial < flips) {
                // spread over the whole file, plus random offsets
                int offset = trial < Math.min(flips / 2, bytes.length) ? (int) ((long) trial * bytes.length / Math.min(flips / 2, bytes.length))
                        : random.nextInt(bytes.length);
                damaged = bytes.clone();
                damaged[offset] ^= (byte) (1 + random.nextInt(255));
                what = "byte " + offset + " changed";
            } else {
                int length = trial == flips ? 0 : random.nextInt(bytes.length);
                damaged = Arrays.copyOf(bytes, length);
                what = "truncated to " + length + " of " + bytes.length;
            }
            Path bad = dir.resolve("damaged");
            Files.write(bad, damaged);
            Trials.Outcome outcome = Trials.loadWithin10s(bad, 8, Metric.COSINE, dir.resolve("scratch"));
            if (outcome.failure() == null) {
                if (trial >= flips) {
                    fail(format + "+" + codec + ": a file " + what + " loaded");
                }
                assertThat(outcome.loaded()).as("%s+%s: %s loaded different data", format, codec, what)
                        .containsExactlyElementsOf(original);
                harmless++;
            } else if (outcome.failure() instanceof CorruptedStateException) {
                detected++;
            } else {
                fail(format + "+" + codec + ": " + what + " gave " + outcome.failure() + " instead of CorruptedStateException",
                        outcome.failure());
            }
        }
        System.out.printf("corruption %s+%s: %d trials, %d detected, %d harmless (identical load)%n", format, codec,
                flips + cuts, detected, harmless);
    }
}
