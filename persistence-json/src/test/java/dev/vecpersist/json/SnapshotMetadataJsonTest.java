package dev.vecpersist.json;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.ValueLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotMetadataJsonTest {

    private static SnapshotMetadata meta(Map<String, Object> user) {
        return new SnapshotMetadata("0f8fad5b-d9cb-469f-a165-70867728950e", "nightly \"q\" ü", Instant.ofEpochMilli(1_700_000_000_123L),
                42, 384, "msgpack", "lz4", 123_456, "abc123", user);
    }

    private static String write(SnapshotMetadata m, long sequence) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotMetadataJson.write(m, sequence, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static SnapshotMetadataJson.Stored read(String json) throws IOException {
        return SnapshotMetadataJson.readStored(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesTheReferenceLayoutAndReadsItBack() throws IOException {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("tag", "v1");
        user.put("ratio", 0.1);
        user.put("n", 7L);
        user.put("list", List.of(true, "x"));
        SnapshotMetadata m = meta(user);
        String json = write(m, 9);
        assertThat(json.replaceAll("\\s", "")).isEqualTo("{\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"name\":\"nightly\\\"q\\\"ü\","
                + "\"timestamp\":1700000000123,\"vectorCount\":42,\"dimension\":384,\"format\":\"msgpack\",\"compression\":\"lz4\","
                + "\"compressed\":true,\"fileSize\":123456,\"checksum\":\"abc123\",\"sequence\":9,"
                + "\"metadata\":{\"tag\":\"v1\",\"ratio\":0.1,\"n\":7,\"list\":[true,\"x\"]}}");
        SnapshotMetadataJson.Stored back = read(json);
        assertThat(back.metadata()).isEqualTo(m);
        assertThat(back.sequence()).isEqualTo(9);
        assertThat(new java.util.ArrayList<>(back.metadata().metadata().keySet())).containsExactly("tag", "ratio", "n", "list");
        assertThat(read(write(m, -1)).sequence()).isEqualTo(-1);
    }

    @Test
    void userMetadataNestedToTheLimitRoundTripsInsideTheDocument() throws IOException {
        Object deepest = "leaf";
        for (int i = 1; i < ValueLimits.MAX_DEPTH; i++) {
            deepest = Map.of("k", deepest);
        }
        SnapshotMetadata m = meta(Map.of("deep", deepest));
        assertThat(read(write(m, 1)).metadata()).isEqualTo(m);
    }

    @Test
    void readsTheReferenceModulesDocumentsWithoutCompressionOrSequence() throws IOException {
        String json = "{\"id\":\"x\",\"name\":\"n\",\"timestamp\":5,\"vectorCount\":1,\"dimension\":2,\"format\":\"json\","
                + "\"compressed\":true,\"fileSize\":3,\"checksum\":\"c\",\"metadata\":null}";
        SnapshotMetadataJson.Stored s = read(json);
        assertThat(s.metadata().compression()).isEqualTo("unknown");
        assertThat(s.metadata().metadata()).isEmpty();
        assertThat(s.sequence()).isEqualTo(-1);
        assertThat(read(json.replace("\"compressed\":true", "\"compressed\":false")).metadata().compression()).isEqualTo("none");
    }

    @Test
    void refusesMalformedDocumentsAsIoExceptions() {
        String ok = "{\"id\":\"x\",\"name\":\"n\",\"timestamp\":5,\"vectorCount\":1,\"dimension\":2,\"format\":\"json\","
                + "\"compression\":\"none\",\"fileSize\":3,\"checksum\":\"c\",\"metadata\":{\"a\":1}}";
        assertRefused(ok.replace("\"timestamp\":5", "\"timestamp\":\"5\""), "'timestamp' is missing or not an integer");
        assertRefused(ok.replace("\"timestamp\":5", "\"timestamp\":99999999999999999999"), "does not fit in a long");
        assertRefused(ok.replace("{\"a\":1}", "{\"a\":1e400}"), "beyond the range of a double");
        assertRefused(ok.replace("{\"a\":1}", "{\"a\":1,\"a\":2}"), "Duplicate field 'a'");
        assertRefused(ok.replace("{\"a\":1}", "[1]"), "metadata must be a JSON object");
        assertRefused(ok.replace("{\"a\":1}", "{\"a\":\"\\ud800\"}"), "unpaired surrogate");
        assertRefused(ok + " {}", "after the snapshot metadata");
        assertRefused("[]", "must be a JSON object");
        assertRefused(ok.replace("\"id\":\"x\",", ""), "id");
        assertRefused(ok.replace("\"fileSize\":3", "\"fileSize\":3,\"sequence\":-2"), "'sequence' is negative");
    }

    private static final String BASE_ID = "11111111-2222-4333-8444-555555555555";
    private static final String DELTA_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa";

    private static SnapshotMetadata differential() {
        SnapshotMetadata m = meta(Map.of("n", 1L));
        return new SnapshotMetadata(m.id(), m.name(), m.timestamp(), m.vectorCount(), m.dimension(), m.format(),
                m.compression(), 0, "e3b0", m.metadata(), List.of(
                new SnapshotPiece(BASE_ID, SnapshotPiece.Kind.BASE, 40, 0, 1000, "aa11", "c1"),
                new SnapshotPiece(DELTA_ID, SnapshotPiece.Kind.DELTA, 2, 1, 70, "bb22", "c2")));
    }

    @Test
    void aDifferentialSnapshotsPiecesRoundTripUnderVersion2() throws IOException {
        SnapshotMetadata m = differential();
        String json = write(m, 3);
        assertThat(json.replaceAll("\\s", "")).contains("\"version\":2,\"pieces\":[{\"id\":\"" + BASE_ID
                + "\",\"kind\":\"base\",\"entries\":40,\"deletions\":0,\"size\":1000,\"sha256\":\"aa11\","
                + "\"contentChecksum\":\"c1\"},{\"id\":\"" + DELTA_ID + "\",\"kind\":\"delta\"");
        SnapshotMetadataJson.Stored back = read(json);
        assertThat(back.metadata()).isEqualTo(m);
        assertThat(back.metadata().isDifferential()).isTrue();
        assertThat(back.metadata().pieces()).extracting(SnapshotPiece::id).containsExactly(BASE_ID, DELTA_ID);
        assertThat(back.sequence()).isEqualTo(3);
    }

    @Test
    void aFullSnapshotsDocumentHasNoVersionOrPiecesAndOldDocumentsReadAsFull() throws IOException {
        String json = write(meta(Map.of()), 4);
        assertThat(json).doesNotContain("version").doesNotContain("pieces");
        SnapshotMetadata back = read(json).metadata();
        assertThat(back.pieces()).isEmpty();
        assertThat(back.isDifferential()).isFalse();
        assertThat(read(json.replace("\"sequence\"", "\"version\" : 1, \"sequence\"")).metadata()).isEqualTo(back);
    }

    @Test
    void refusesNewerVersionsAndMalformedPieces() throws IOException {
        String json = write(differential(), 1);
        assertRefused(json.replace("\"version\" : 2", "\"version\" : 3"), "version 3 is not supported");
        assertRefused(json.replace("\"kind\" : \"base\"", "\"kind\" : \"delta\""), "piece 0 must be a BASE");
        assertRefused(json.replace("\"kind\" : \"base\"", "\"kind\" : \"other\""), "OTHER");
        assertRefused(json.replace(BASE_ID, "../../x"), "invalid piece id");
        assertRefused(json.replace("\"size\" : 1000", "\"size\" : \"1000\""), "'size' is missing or not an integer");
        assertRefused(json.replace("\"sha256\" : \"aa11\",", ""), "sha256");
        assertRefused(json.replaceFirst("\"pieces\" : \\[", "\"pieces\" : {\"x\":1, \"y\": ["), "'pieces' must be an array");
    }

    private static void assertRefused(String json, String messagePart) {
        assertThatThrownBy(() -> read(json)).as(json).isInstanceOf(IOException.class).hasMessageContaining(messagePart);
    }

    @Test
    void readingClosesTheStreamAndWritingLeavesItOpen() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        String json = write(meta(Map.of()), 1);
        InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        SnapshotMetadataJson.read(in);
        assertThat(closed).isTrue();
        AtomicBoolean outClosed = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                outClosed.set(true);
            }
        };
        SnapshotMetadataJson.write(meta(Map.of()), out);
        assertThat(outClosed).isFalse();
        assertThat(out.size()).isPositive();
    }
}
