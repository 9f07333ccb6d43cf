package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Issue 15, item 8: a FIFO named {@code MANIFEST.json}, a state file that is a symbolic link out of
 * the base directory, unrecognised bytes in messages, and binary MessagePack metadata read without
 * checksum verification.
 */
class SmallHostileInputsTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang is the failure this guards against
    void aFifoNamedManifestNeitherHangsTheConstructorNorVerifyNorLoad() throws Exception {
        Path base = dir.resolve("base");
        Files.createDirectories(base);
        Path fifo = base.resolve("MANIFEST.json");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            mkfifo = null;
        }
        boolean made = mkfifo != null && mkfifo.waitFor() == 0;
        if (!made) {
            assertThat(System.getenv("CI")).as("mkfifo is needed on CI").isNotEqualTo("true");
            assumeThat(made).as("mkfifo is not available").isTrue();
        }
        assertThatThrownBy(() -> new StateInspector().committedFiles(base)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("not a regular file");
        VectorDB db = new VectorDB(2, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, options(base))) {
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class).hasMessageContaining("not a regular file");
            db.insert(new VectorEntry("a", new float[] {1, 2}, Map.of()));
            p.save(); // the FIFO is moved aside, not opened
        }
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.COSINE), options(base))) {
            p.load();
            assertThat(p.database().size()).isEqualTo(1);
        }
    }

    @Test
    void aStateFileLinkedOutOfTheBaseDirectoryIsRefusedAndItsBytesNeverEchoed() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "root:$6$SECRETSALT$hash:19000:0:99999:7:::\n");
        Path base = dir.resolve("base");
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(new VectorEntry("a", new float[] {1, 2}, Map.of()));
        try (DatabasePersistence p = new DatabasePersistence(db, options(base))) {
            p.save();
        }
        Path state = base.resolve("state-0000000001.json");
        Files.delete(state);
        Files.createSymbolicLink(state, secret);
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.COSINE), options(base))) {
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("symbolic link").satisfies(e -> assertNoSecret(e.getMessage()));
        }
        // given directly (not through a manifest), it is read, and a file not recognised is never echoed
        Path plain = dir.resolve("plain.bin");
        Files.writeString(plain, "root:$6$SECRETSALT$hash:19000:0:99999:7:::\n");
        assertThatThrownBy(() -> new StateInspector().verify(plain)).isInstanceOf(PersistenceException.class)
                .satisfies(e -> assertNoSecret(e.getMessage()));
    }

    private static void assertNoSecret(String message) {
        String hex = HexFormat.of().formatHex("root:$6$".getBytes(StandardCharsets.US_ASCII));
        assertThat(message).doesNotContain("root").doesNotContain(hex).doesNotContain(hex.substring(0, 8));
    }

    @Test
    void binaryMessagePackMetadataWithoutChecksumVerificationIsCorruptNotIllegalArgument() throws Exception {
        Path base = dir.resolve("base");
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(new VectorEntry("a", new float[] {1, 2}, Map.of("k", "abc")));
        Path file = dir.resolve("state.msgpack");
        try (DatabasePersistence p = new DatabasePersistence(db, options(base).toBuilder().format("msgpack").build())) {
            p.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        byte[] value = {(byte) 0xa3, 'a', 'b', 'c'};
        int at = Bytes.indexOf(bytes, value);
        assertThat(at).isPositive();
        bytes[at] = (byte) 0xc4; // fixstr "abc" (4 bytes) becomes bin8 "ab" (4 bytes): the rest stays in place
        bytes[at + 1] = 2;
        bytes[at + 2] = 'a';
        bytes[at + 3] = 'b';
        Files.write(file, bytes);
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.COSINE),
                options(base).toBuilder().verifyChecksums(false).build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class);
            assertThat(p.database().size()).isZero();
        }
    }

    /**
     * The MessagePack reader leaves finiteness to the manager's entry rules: a NaN or infinity
     * written into a saved file's vector is still refused at load, naming the file and the entry,
     * with or without checksum verification, on one thread and on two (600 entries use the second).
     */
    @Test
    void aNonFiniteComponentInAMessagePackFileIsRefusedAtLoad() throws Exception {
        for (int entries : new int[] {3, 600}) {
            for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY}) {
                for (boolean verify : new boolean[] {true, false}) {
                    Path base = dir.resolve("base-" + entries + "-" + bad + "-" + verify);
                    VectorDB db = new VectorDB(2, Metric.COSINE);
                    for (int i = 0; i < entries; i++) {
                        db.insert(new VectorEntry("e" + i, new float[] {i, 2}));
                    }
                    db.insert(new VectorEntry("marked", new float[] {1.25f, -7.5f}));
                    Path file = base.resolve("state.msgpack");
                    try (DatabasePersistence p = new DatabasePersistence(db, options(base).toBuilder().format("msgpack").build())) {
                        p.save(file);
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    byte[] marked = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putFloat(1.25f).putFloat(-7.5f).array();
                    int at = Bytes.indexOf(bytes, marked);
                    assertThat(at).isPositive();
                    java.nio.ByteBuffer.wrap(bytes, at + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(bad);
                    Files.write(file, bytes);
                    VectorDB target = new VectorDB(2, Metric.COSINE);
                    target.insert(new VectorEntry("kept", new float[] {3, 4}));
                    try (DatabasePersistence p = new DatabasePersistence(target,
                            options(base).toBuilder().verifyChecksums(verify).build())) {
                        assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class)
                                .hasMessageContaining(file.toString())
                                .hasMessageContaining("entry 'marked' has a non-finite component " + bad + " at index 1");
                        assertThat(target.size()).isEqualTo(1);
                        assertThat(target.get("kept")).isPresent();
                    }
                }
            }
        }
    }

    private static PersistenceOptions options(Path base) {
        return PersistenceOptions.builder().baseDir(base).build();
    }
}
