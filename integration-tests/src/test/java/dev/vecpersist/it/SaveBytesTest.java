package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A save writes the same bytes as before saves checked entries on a second thread: the SHA-256 of
 * each file below is what main (b0164bb), saving on one thread, wrote for the same database and
 * clock. 3,000 entries are enough for the second thread on a machine with two cores. msgpack+lz4
 * files have changed twice since, in their LZ4 framing only: blocks of 256 KiB instead of 4 MiB,
 * then no block checksums (a second xxHash32 pass on the compressing thread, the one that bounds a
 * compressed save; the frame's content checksum and the state's own checksum remain). Its pin is
 * the new frame's; the same content framed as before, in 4 MiB blocks and in 256 KiB blocks with
 * block checksums, is still each earlier file byte for byte, and such a file still loads.
 */
class SaveBytesTest {

    @TempDir
    Path dir;

    private static VectorDB database() {
        VectorDB db = new VectorDB(16, Metric.COSINE);
        Random random = new Random(2026);
        List<VectorEntry> batch = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] v = new float[16];
            for (int d = 0; d < 16; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            Map<String, Object> metadata = new LinkedHashMap<>(); // Map.of's order changes from one JVM to the next
            metadata.put("i", (long) i);
            metadata.put("tag", "t" + (i % 5));
            metadata.put("score", i / 7.0);
            metadata.put("flags", List.of(i % 2 == 0, "x"));
            batch.add(new VectorEntry("doc-" + i, v, metadata));
        }
        db.insertBatch(batch);
        return db;
    }

    @ParameterizedTest
    @CsvSource({
            "msgpack,     2864795cded00059a24be8d74ffbafa293cda19226aadbdb8bd95ae7ad3057d8",
            "msgpack+lz4, 4cc683ca227b678dc0903c80f379fada034f795b32385b48d661a35cdb3a39c3",
            "json,        205cda1416269024c2a2ac7513640acb93d26ada7154fb2236440c110963e21e",
            "json+gzip,   696d6e23b19233b03c1a6b8ffe6795dedaa4f553d92446c0d6668d00ff41f827"})
    void aSaveWritesTheBytesTheOneThreadSaveWrote(String combination, String sha256) throws IOException {
        String[] parts = combination.split("\\+");
        PersistenceOptions.Builder options = PersistenceOptions.builder().baseDir(dir.resolve("base")).format(parts[0])
                .clock(Clock.fixed(Instant.parse("2026-12-01T19:00:00Z"), ZoneOffset.UTC));
        if (parts.length > 1) {
            options.compression(parts[1]);
        }
        Path out = dir.resolve("out");
        try (DatabasePersistence p = new DatabasePersistence(database(), options.build())) {
            p.save(out);
        }
        assertThat(sha256(out)).isEqualTo(sha256);
        if (combination.equals("msgpack+lz4")) {
            Path framedAsBefore = dir.resolve("4mib-blocks");
            try (InputStream in = new LZ4FrameInputStream(Files.newInputStream(out));
                 OutputStream lz4 = new LZ4FrameOutputStream(Files.newOutputStream(framedAsBefore), BLOCKSIZE.SIZE_4MB, -1L,
                         LZ4Factory.fastestInstance().fastCompressor(), XXHashFactory.fastestInstance().hash32(),
                         FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM, FLG.Bits.BLOCK_CHECKSUM)) {
                in.transferTo(lz4);
            }
            assertThat(sha256(framedAsBefore)).isEqualTo("c54e1cfcccf239eb337f59d7f075f8c02fa74ba69add8c21c89cb0edddab81f4");
            Path withBlockChecksums = dir.resolve("block-checksums");
            try (InputStream in = new LZ4FrameInputStream(Files.newInputStream(out));
                 OutputStream lz4 = new LZ4FrameOutputStream(Files.newOutputStream(withBlockChecksums), BLOCKSIZE.SIZE_256KB, -1L,
                         LZ4Factory.fastestInstance().fastCompressor(), XXHashFactory.fastestInstance().hash32(),
                         FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM, FLG.Bits.BLOCK_CHECKSUM)) {
                in.transferTo(lz4);
            }
            // the file the codec wrote before it dropped the block checksums
            assertThat(sha256(withBlockChecksums)).isEqualTo("bdc52201fcdac39867d81a3bcca7075ac58ff9643988153bd5c92266ae466537");
            assertLoadsAsTheDatabase(withBlockChecksums);
        }
    }

    private void assertLoadsAsTheDatabase(Path file) {
        VectorDB expected = database();
        VectorDB loaded = new VectorDB(16, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder().baseDir(dir.resolve("load")).build())) {
            p.load(file);
        }
        assertThat(loaded.size()).isEqualTo(expected.size());
        for (int i = 0; i < 3000; i++) {
            VectorEntry want = expected.get("doc-" + i).orElseThrow();
            VectorEntry got = loaded.get("doc-" + i).orElseThrow();
            assertThat(got.vector()).as("doc-%d", i).isEqualTo(want.vector());
            assertThat(got.metadata()).as("doc-%d", i).isEqualTo(want.metadata());
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
