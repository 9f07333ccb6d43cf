package dev.vecpersist.reliability;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Files crafted to hurt: huge claims, deep nesting, invalid UTF-8, bombs, random bytes. They fail fast and typed. */
class HostileInputTest {

    @TempDir
    Path dir;

    private Trials.Outcome load(Path file, int dimension) {
        return Trials.loadWithin10s(file, dimension, Metric.COSINE, dir.resolve("scratch"));
    }

    private void assertCorrupt(Path file, int dimension, String... messageParts) {
        long t0 = System.nanoTime();
        Trials.Outcome outcome = load(file, dimension);
        assertThat(outcome.failure()).as(file.getFileName().toString()).isInstanceOf(CorruptedStateException.class);
        for (String part : messageParts) {
            assertThat(outcome.failure().getMessage()).contains(part);
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to fail").isLessThan(10_000);
    }

    private Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static String jsonHeader(long dimension, long count) {
        return "{\"version\":\"2.0.0\",\"kind\":\"full\",\"options\":{\"dimension\":" + dimension + ",\"metric\":\"cosine\"},"
                + "\"stats\":{\"count\":" + count + "},\"timestamp\":0,\"vectors\":[";
    }

    @Test
    void jsonClaimingAHugeDimensionOrCountFailsWithoutAllocatingIt() throws Exception {
        // no database can have that dimension (ValueLimits.MAX_DIMENSION): the header itself is refused as
        // corrupt, before it is compared with the (legal) database it is loaded into
        Path hugeDim = write("huge-dim.json", jsonHeader(Integer.MAX_VALUE, 1) + "{\"id\":\"a\",\"vector\":[1,2]}],\"checksum\":\"crc32c:0\"}");
        Trials.Outcome o = Trials.loadWithin10s(hugeDim, 2, Metric.COSINE, dir.resolve("s"));
        assertThat(o.failure()).isInstanceOf(CorruptedStateException.class).hasMessageContaining("dimension");
        Path hugeCount = write("huge-count.json", jsonHeader(2, Long.MAX_VALUE) + "{\"id\":\"a\",\"vector\":[1,2]}],\"checksum\":\"crc32c:0\"}");
        // the load budget (issue 15) refuses an announced count no heap can hold, before reading any entry
        Trials.Outcome c = Trials.loadWithin10s(hugeCount, 2, Metric.COSINE, dir.resolve("c"));
        assertThat(c.failure()).isInstanceOf(dev.vecpersist.api.PersistenceException.class)
                .hasMessageContaining("9,223,372,036,854,775,807 entries").hasMessageContaining("refused before reading");
    }

    @Test
    void deeplyNestedMetadataIsRefusedInEveryFormat() throws Exception {
        StringBuilder nested = new StringBuilder();
        nested.append("{\"a\":".repeat(10_000)).append("1").append("}".repeat(10_000));
        assertCorrupt(write("deep.json", jsonHeader(1, 1) + "{\"id\":\"a\",\"vector\":[1],\"metadata\":" + nested + "}]}"), 1);

        ByteArrayOutputStream msgpack = new ByteArrayOutputStream();
        try (var p = org.msgpack.core.MessagePack.newDefaultPacker(msgpack)) {
            p.packString("VECPERSIST");
            p.packMapHeader(8);
            p.packString("version").packInt(1).packString("kind").packString("full").packString("dimension").packInt(1)
                    .packString("metric").packString("cosine").packString("entryCount").packInt(1)
                    .packString("deletionCount").packInt(0).packString("createdAt").packLong(0).packString("userMetadata").packMapHeader(0);
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            for (int i = 0; i < 10_000; i++) {
                p.packMapHeader(1).packString("a");
            }
            p.packInt(1);
        }
        Path deepMsgpack = dir.resolve("deep.msgpack");
        Files.write(deepMsgpack, msgpack.toByteArray());
        assertCorrupt(deepMsgpack, 1, "nested deeper");
    }

    @Test
    void invalidUtf8IsCorruption() throws Exception {
        byte[] head = (jsonHeader(1, 1) + "{\"id\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\",\"vector\":[1]}],\"checksum\":\"crc32c:0\"}".getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, file, 0, head.length);
        file[head.length] = (byte) 0xc3;
        file[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, file, head.length + 2, tail.length);
        Path f = dir.resolve("utf8.json");
        Files.write(f, file);
        assertCorrupt(f, 1);
    }

    @Test
    void sqliteClaimingAHugeDimensionIsCorruption() throws Exception {
        Path f = dir.resolve("huge.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("PRAGMA application_id = 1448101202");
            s.execute("PRAGMA user_version = 1");
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("CREATE TABLE vectors (id TEXT PRIMARY KEY, vector BLOB NOT NULL, metadata TEXT NOT NULL)");
            s.execute("CREATE TABLE deleted (id TEXT PRIMARY KEY)");
            for (String[] kv : new String[][] {{"kind", "full"}, {"dimension", "1000000000"}, {"metric", "cosine"},
                    {"entryCount", "1"}, {"deletionCount", "0"}, {"createdAt", "0"}, {"userMetadata", "{}"}, {"version", "1"}}) {
                s.execute("INSERT INTO meta VALUES ('" + kv[0] + "', '" + kv[1] + "')");
            }
            s.execute("INSERT INTO vectors VALUES ('a', x'00000000', '{}')");
        }
        assertCorrupt(f, 1, "dimension");
    }

    @Test
    void aCompressionBombFailsFastOnTheStringLimit() throws Exception {
        Path f = dir.resolve("bomb.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write((jsonHeader(1, 1) + "{\"id\":\"").getBytes(StandardCharsets.UTF_8));
            byte[] zeros = new byte[1 << 20];
            java.util.Arrays.fill(zeros, (byte) 'a');
            for (int i = 0; i < 300; i++) {   // 300 MB of one id, 300 KB on disk
                out.write(zeros);
            }
        }
        assertThat(Files.size(f)).isLessThan(2_000_000);
        assertCorrupt(f, 1);
    }

    @Test
    void randomBytesAreCorruptionNeverAnythingElse() throws Exception {
        Random random = new Random(9);
        for (int i = 0; i < Trials.scaled(100); i++) {
            byte[] bytes = new byte[random.nextInt(5000)];
            random.nextBytes(bytes);
            if (i % 4 == 1 && bytes.length > 0) {
                bytes[0] = '{';                // looks like JSON
            }
            Path f = dir.resolve("random-" + i);
            Files.write(f, bytes);
            Trials.Outcome o = load(f, 4);
            assertThat(o.failure()).as("random file %d", i).isInstanceOf(CorruptedStateException.class);
        }
    }

    @Test
    void metadataIsNeverBoundToArbitraryClasses() throws Exception {
        // a Jackson polymorphic-typing payload is just a map of strings here
        Path f = write("gadget.json", jsonHeader(1, 1) + "{\"id\":\"a\",\"vector\":[1],\"metadata\":{\"@class\":"
                + "\"java.lang.ProcessBuilder\",\"x\":[\"java.net.URL\",\"http://127.0.0.1/\"]}}],\"checksum\":\"crc32c:0\"}");
        Trials.Outcome o = load(f, 1);
        // the checksum is wrong on purpose: parsing happened, and the failure is a checksum mismatch
        assertThat(o.failure()).isInstanceOf(CorruptedStateException.class).hasMessageContaining("checksum");
        VectorEntry e = new VectorEntry("a", new float[] {1}, Map.of("@class", "java.lang.ProcessBuilder",
                "x", List.of("java.net.URL", "http://127.0.0.1/")));
        assertThat(MetadataValues.normalize(e.metadata())).isEqualTo(e.metadata());
    }
}
