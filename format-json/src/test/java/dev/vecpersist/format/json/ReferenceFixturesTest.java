package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.Fixtures;
import dev.vecpersist.testkit.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The files written by the TypeScript reference module load, value for value. */
class ReferenceFixturesTest {

    private static final Path FIXTURES = Fixtures.referenceModule();
    private final JsonStateFormat format = new JsonStateFormat();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small.json", "small.bin"})
    void loadsTheReferenceModulesFiles(String name) throws IOException {
        Path file = FIXTURES.resolve(name);
        RawRead read;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            read = RawRead.of(in, file.toString());
        }
        assertSmallState(read, expectedVectors(file));
        assertThat(read.checksum()).as("the SHA-256 the reference module wrote, unchanged")
                .matches("[0-9a-f]{64}").isEqualTo(lastStringField(file, "checksum"));
    }

    @Test
    void loadsTheGzippedReferenceFileAndTheSnapshotData() throws IOException {
        Path gz = FIXTURES.resolve("small.json.gzip");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertSmallState(RawRead.of(in, gz.toString()), expectedVectors(FIXTURES.resolve("small.bin")));
        }
        try (var snapshots = Files.list(FIXTURES.resolve("snapshots"))) {
            Path data = snapshots.filter(p -> !p.getFileName().toString().endsWith(".meta.json")).findFirst().orElseThrow();
            try (InputStream in = Files.newInputStream(data)) {
                assertSmallState(RawRead.of(in, data.toString()), expectedVectors(data));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small.json", "small.bin"})
    void recognizesTheReferenceModulesFiles(String name) throws IOException {
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(FIXTURES.resolve(name)), 64);
        assertThat(format.recognizes(head, head.length)).isTrue();
    }

    @Test
    void aReferenceStateRewrittenByUsLoadsWithAVerifiableChecksum() throws IOException {
        RawRead reference;
        try (InputStream in = Files.newInputStream(FIXTURES.resolve("small.json"))) {
            reference = RawRead.of(in, "small.json");
        }
        StateHeader h = reference.header();
        StateHeader ours = new StateHeader(JsonStateFormat.VERSION, h.kind(), h.dimension(), h.metric(), h.entryCount(),
                h.deletionCount(), h.createdAt(), h.userMetadata(), h.indexState());
        Path f = dir.resolve("converted.json");
        String checksum = StateFiles.write(format, f, ours, reference.entries(), List.of());
        StateFiles.ReadState back = StateFiles.read(format, f);
        assertThat(back.checksum()).isEqualTo(checksum).startsWith(ContentChecksum.PREFIX);
        assertThat(back.entries()).containsExactlyElementsOf(reference.entries());
    }

    private static void assertSmallState(RawRead read, List<float[]> expectedVectors) {
        StateHeader h = read.header();
        assertThat(h.formatVersion()).isEqualTo(1);
        assertThat(h.kind()).isEqualTo(StateHeader.Kind.FULL);
        assertThat(h.dimension()).isEqualTo(16);
        assertThat(h.metric()).isEqualTo(Metric.COSINE);
        assertThat(h.entryCount()).isEqualTo(20);
        assertThat(h.deletionCount()).isZero();
        assertThat(h.createdAt()).as("the timestamp follows the vectors: unknown up front").isEqualTo(Instant.EPOCH);
        assertThat(h.userMetadata()).isEmpty();
        assertThat(h.indexState()).isNull();
        assertThat(read.deletions()).isEmpty();
        assertThat(read.entries()).hasSize(20);
        for (int i = 0; i < 20; i++) {
            VectorEntry e = read.entries().get(i);
            assertThat(e.id()).isEqualTo(String.valueOf(i));
            float[] expected = expectedVectors.get(i);
            for (int d = 0; d < 16; d++) {
                assertThat(Float.floatToRawIntBits(e.vector()[d])).as("entry %d component %d", i, d)
                        .isEqualTo(Float.floatToRawIntBits(expected[d]));
            }
            Map<String, Object> m = e.metadata();
            assertThat(m.keySet()).containsExactly("index", "category", "timestamp", "tags", "nested");
            assertThat(m.get("index")).isEqualTo((long) i);
            assertThat(m.get("category")).isIn("A", "B", "C");
            assertThat(m.get("timestamp")).isEqualTo(1_700_000_000_000L + i);
            assertThat(m.get("tags")).isInstanceOf(List.class).isEqualTo(List.of("x", "y"));
            assertThat(m.get("nested")).isInstanceOf(Map.class);
            Map<?, ?> nested = (Map<?, ?>) m.get("nested");
            assertThat(nested.get("ok")).isInstanceOf(Boolean.class);
            Object score = nested.get("score");
            if (i % 7 == 0) {
                assertThat(score).as("JavaScript prints %d/7 as an integer", i).isEqualTo((long) (i / 7));
            } else {
                assertThat(score).isInstanceOf(Double.class).isEqualTo(i / 7.0);
            }
        }
    }

    /** The vectors as an independent reading gives them: each printed double, narrowed to float. */
    private static List<float[]> expectedVectors(Path file) throws IOException {
        List<float[]> vectors = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("vector")) {
                    p.nextToken();
                    float[] v = new float[16];
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        v[n++] = (float) p.getDoubleValue();
                    }
                    vectors.add(v);
                }
            }
        }
        return vectors;
    }

    private static String lastStringField(Path file, String name) throws IOException {
        String value = null;
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals(name)) {
                    p.nextToken();
                    value = p.getText();
                }
            }
        }
        return value;
    }
}
