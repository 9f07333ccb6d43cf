package dev.vecpersist.reliability;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Encrypted files, every format x codec: a flipped bit anywhere (every offset of the envelope and
 * Tink's header, then random offsets), and truncation at every interesting length, must all be
 * refused: authentication failure (CorruptedStateException), or, for a key id changed into another
 * well-formed id, EncryptionException. Unlike clear files, no change may load, not even a
 * "harmless" one. Segment-level attacks (reorder, drop, duplicate, cut at a boundary) on a
 * multi-segment file too.
 */
class EncryptedCorruptionMatrixTest {

    static final EncryptionKeys KEYS = EncryptionKeys.of("k1", key(7));
    private static final int SEGMENT = 1 << 20;
    private static final AtomicInteger DAMAGED = new AtomicInteger();
    private static final AtomicInteger DETECTED = new AtomicInteger();

    @TempDir
    Path dir;

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("dev.vecpersist.reliability.CorruptionMatrixTest#plugins")
    void everyFlipAndTruncationIsRefused(String format, String codec) throws Exception {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(25, 8, 1));
        Path file = dir.resolve("original");
        try (DatabasePersistence p = new DatabasePersistence(db, options(dir.resolve("w"), format, codec))) {
            p.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Random random = new Random(format.hashCode() * 31L + codec.hashCode());
        int trials = 0;
        for (int offset = 0; offset < Math.min(bytes.length, 160); offset++) {
            expectRefused(flip(bytes, offset, 1 << (offset % 8)), format, codec, "flip at " + offset);
            trials++;
        }
        for (int i = 0; i < Trials.scaled(120); i++) {
            int offset = random.nextInt(bytes.length);
            expectRefused(flip(bytes, offset, 1 << random.nextInt(8)), format, codec, "flip at " + offset);
            trials++;
        }
        for (int length = 0; length < Math.min(bytes.length, 80); length++) {
            expectRefused(Arrays.copyOf(bytes, length), format, codec, "cut to " + length);
            trials++;
        }
        for (int i = 0; i < Trials.scaled(40); i++) {
            int length = bytes.length - 1 - random.nextInt(bytes.length - 80);
            expectRefused(Arrays.copyOf(bytes, length), format, codec, "cut to " + length);
            trials++;
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        expectRefused(longer, format, codec, "one byte appended");
        System.out.printf("encrypted %s/%s (%d bytes): %d damaged copies, all refused%n", format, codec, bytes.length,
                trials + 1);
    }

    @Test
    void segmentsCannotBeReorderedDroppedDuplicatedOrCutAtABoundary() throws Exception {
        VectorDB db = new VectorDB(384, Metric.COSINE);
        db.insertBatch(TestStates.entries(3000, 384, 3)); // ~4.7 MB: five segments of 1 MiB
        Path file = dir.resolve("big");
        try (DatabasePersistence p = new DatabasePersistence(db, options(dir.resolve("w"), "msgpack", "none"))) {
            p.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 11 + 2; // the envelope: magic (8), version, length, "k1"
        assertThat(bytes.length).isGreaterThan(start + 4 * SEGMENT);
        int s1 = start + SEGMENT;
        int s2 = start + 2 * SEGMENT;
        int s3 = start + 3 * SEGMENT;
        expectRefused(concat(slice(bytes, 0, s1), slice(bytes, s2, s3), slice(bytes, s1, s2), slice(bytes, s3, bytes.length)),
                "msgpack", "none", "segments 2 and 3 swapped");
        expectRefused(concat(slice(bytes, 0, s1), slice(bytes, s2, bytes.length)), "msgpack", "none", "segment 2 dropped");
        expectRefused(concat(slice(bytes, 0, s2), slice(bytes, s1, bytes.length)), "msgpack", "none", "segment 2 repeated");
        for (int cut : new int[] {s1, s2, s3, s3 + 1, bytes.length - 16, bytes.length - 17}) {
            expectRefused(Arrays.copyOf(bytes, cut), "msgpack", "none", "cut to " + cut);
        }
        expectRefused(concat(bytes, slice(bytes, s3, bytes.length)), "msgpack", "none", "last segment appended again");
        expectRefused(flip(bytes, s2 + SEGMENT / 2, 4), "msgpack", "none", "a bit in the middle of segment 3");
    }

    @AfterAll
    static void report() {
        System.out.printf("encrypted corruption matrix: %d damaged files, %d refused%n", DAMAGED.get(), DETECTED.get());
        assertThat(DETECTED.get()).isEqualTo(DAMAGED.get());
    }

    static PersistenceOptions options(Path base, String format, String codec) {
        return PersistenceOptions.builder().baseDir(base).format(format).compression(codec).encryption(KEYS).build();
    }

    private void expectRefused(byte[] damaged, String format, String codec, String what) throws Exception {
        DAMAGED.incrementAndGet();
        Path file = dir.resolve("damaged");
        Files.write(file, damaged);
        VectorDB db = new VectorDB(damaged.length > 1 << 20 ? 384 : 8, Metric.COSINE);
        db.insert(new VectorEntry("sentinel", new float[db.dimension()]));
        List<VectorEntry> before = Trials.contents(db);
        try (DatabasePersistence p = new DatabasePersistence(db, options(dir.resolve("scratch"), "json", "none"))) {
            p.load(file);
            fail("%s/%s, %s: loaded %d entries", format, codec, what, db.size());
        } catch (CorruptedStateException | EncryptionException expected) {
            DETECTED.incrementAndGet();
        }
        assertThat(Trials.contents(db)).as("%s/%s, %s: the database must be unchanged", format, codec, what)
                .isEqualTo(before);
    }

    private static byte[] flip(byte[] bytes, int offset, int mask) {
        byte[] copy = bytes.clone();
        copy[offset] ^= (byte) mask;
        return copy;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
