package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 6: decompression bombs for every format x codec (a header announcing 200 million
 * entries), and SQLite states that inflate far beyond their compressed size into the scratch file.
 * A child JVM at -Xmx512m loads each: every one must fail with a typed {@code PersistenceException},
 * never an {@code OutOfMemoryError}, and leave no scratch file behind.
 */
class DecompressionBombTest {

    static final int DIMENSION = 4;
    private static final long CLAIMED = 200_000_000L;
    private static final List<String> FORMATS = List.of("json", "msgpack", "sqlite");
    private static final List<String> CODECS = List.of("none", "gzip", "brotli", "lz4");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // stops a hang only
    void everyBombFailsTypedInASmallHeap() throws Exception {
        Plugins plugins = Plugins.discover();
        List<String> args = new ArrayList<>();
        Path scratch = dir.resolve("scratch");
        Files.createDirectories(scratch);
        args.add(scratch.toString());
        for (String format : FORMATS) {
            byte[] raw = claimingHugeCount(format);
            for (String codec : CODECS) {
                Path bomb = dir.resolve("claims-200M." + format + "." + codec);
                writeCompressed(plugins, codec, bomb, raw, 0);
                args.add(bomb.toString());
            }
        }
        byte[] sqlite = Files.readAllBytes(saved("sqlite", 3));
        for (String codec : List.of("gzip", "brotli", "lz4")) {
            Path bomb = dir.resolve("inflates.sqlite." + codec);
            writeCompressed(plugins, codec, bomb, sqlite, 96L << 20);
            args.add(bomb.toString());
        }
        ChildJvm.Result child = ChildJvm.run("512m", 540, BombProbe.class, args.toArray(String[]::new));
        System.out.println("decompression bombs at -Xmx512m:\n" + child.output());
        List<String> lines = child.output().lines().filter(l -> l.matches("^(TYPED|LOADED|UNTYPED) .*")).toList();
        assertThat(lines).hasSize(args.size() - 1);
        assertThat(lines).allMatch(l -> l.startsWith("TYPED "), "every bomb fails with a typed PersistenceException");
        assertThat(lines.stream().filter(l -> l.startsWith("TYPED claims-200M")))
                .allMatch(l -> l.contains("needs ~") && l.contains("refused before reading"));
        assertThat(lines.stream().filter(l -> l.startsWith("TYPED inflates")))
                .allMatch(l -> l.contains("CorruptedStateException") && l.contains("decompression bomb"));
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left.filter(f -> !f.getFileName().toString().startsWith(".vecpersist"))).as("scratch files left").isEmpty();
        }
    }

    /** A valid 3-entry state of the format whose header then claims 200 million entries. */
    private byte[] claimingHugeCount(String format) throws Exception {
        Path f = saved(format, 3);
        switch (format) {
            case "json" -> {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String patched = text.replaceFirst("(\"count\"\\s*:\\s*)3", "$1" + CLAIMED);
                assertThat(patched).isNotEqualTo(text);
                return patched.getBytes(StandardCharsets.UTF_8);
            }
            case "msgpack" -> {
                byte[] b = Files.readAllBytes(f);
                byte[] key = {(byte) 0xaa, 'e', 'n', 't', 'r', 'y', 'C', 'o', 'u', 'n', 't'};
                int at = Bytes.indexOf(b, key) + key.length;
                assertThat(b[at]).isEqualTo((byte) 3);
                byte[] out = new byte[b.length + 4];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) 0xce; // uint32
                out[at + 1] = (byte) (CLAIMED >>> 24);
                out[at + 2] = (byte) (CLAIMED >>> 16);
                out[at + 3] = (byte) (CLAIMED >>> 8);
                out[at + 4] = (byte) CLAIMED;
                System.arraycopy(b, at + 1, out, at + 5, b.length - at - 1);
                return out;
            }
            default -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
                    s.execute("UPDATE meta SET value = '" + CLAIMED + "' WHERE key = 'entryCount'");
                }
                return Files.readAllBytes(f);
            }
        }
    }

    private Path saved(String format, int entries) {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        for (int i = 0; i < entries; i++) {
            db.insert(new VectorEntry("e" + i, new float[] {i, 1, 2, 3}, Map.of()));
        }
        Path file = dir.resolve("valid-" + format + "-" + System.nanoTime());
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                .format(format).build())) {
            p.save(file);
        }
        return file;
    }

    /** The bytes, then {@code zeros} zero bytes, through the codec (none: as they are). */
    private static void writeCompressed(Plugins plugins, String codecName, Path file, byte[] bytes, long zeros)
            throws Exception {
        CompressionCodec codec = "none".equals(codecName) ? null : plugins.codec(codecName);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = codec == null ? raw : codec.compress(raw, codec.levelRange().min())) {
            out.write(bytes);
            byte[] block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
