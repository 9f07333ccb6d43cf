package dev.vecpersist.format.json;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** Damaged, hostile and foreign input: CorruptedStateException (or Incompatible) and nothing else. */
class JsonMalformedInputTest {

    /** A valid version-2 state with one entry, to be edited by the tests. */
    private static final String HEAD = "{\"version\":\"2.0.0\",\"format\":\"vecpersist-json\",\"kind\":\"full\","
            + "\"options\":{\"dimension\":2,\"metric\":\"cosine\"},\"stats\":{\"count\":1,\"dimension\":2,\"metric\":\"cosine\"},"
            + "\"timestamp\":5,";
    private static final String ENTRY = "{\"id\":\"a\",\"vector\":[1.5,-2.0],\"metadata\":{\"k\":1}}";
    private static final String VALID = HEAD + "\"vectors\":[" + ENTRY + "],\"checksum\":\"crc32c:00000000\"}";

    @TempDir
    Path dir;

    private static void assertCorrupt(String json, String messagePart) {
        assertThatThrownBy(() -> RawRead.of(json)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("test.json").hasMessageContaining(messagePart);
    }

    @Test
    void theValidBaseLoads() throws IOException {
        RawRead read = RawRead.of(VALID);
        assertThat(read.entries()).containsExactly(new VectorEntry("a", new float[] {1.5f, -2f}, Map.of("k", 1L)));
        assertThat(read.header().createdAt()).isEqualTo(Instant.ofEpochMilli(5));
        assertThat(read.checksum()).isEqualTo("crc32c:00000000");
    }

    @Test
    void everyTruncationIsCorrupt() {
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> RawRead.of(cut)).as("cut to %d bytes", length)
                    .isInstanceOf(CorruptedStateException.class).hasMessageContaining("test.json");
        }
    }

    @Test
    void truncationSaysWhereTheContentEnds() {
        String cut = VALID.substring(0, VALID.indexOf("-2.0"));
        assertCorrupt(cut, "truncated");
        assertCorrupt(cut, "/vectors/0/vector");
    }

    @Test
    void vectorsBeforeTheHeaderIsReportedClearly() {
        assertCorrupt("{\"version\":\"2.0.0\",\"vectors\":[],\"options\":{\"dimension\":2,\"metric\":\"dot\"},"
                + "\"stats\":{\"count\":0},\"timestamp\":1,\"checksum\":\"crc32c:0\"}", "must precede it");
        assertCorrupt("{\"options\":{\"dimension\":2,\"metric\":\"dot\"},\"stats\":{\"count\":0},\"vectors\":[]}",
                "\"version\" must come before \"vectors\"");
        assertCorrupt(HEAD.replace("\"timestamp\":5,", "") + "\"vectors\":[],\"timestamp\":5}",
                "\"timestamp\" must come before");
    }

    @Test
    void aNewerMajorVersionIsIncompatibleWithBothNumbers() {
        assertThatThrownBy(() -> RawRead.of(VALID.replace("\"2.0.0\"", "\"3.1.0\"")))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("version 3").hasMessageContaining("(2)").hasMessageContaining("test.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "\"\"", "\"0.9.0\"", "\"-1.0.0\"", "\"2.0.0.0\"", "2", "null",
            "\"99999999999.0.0\""})
    void unreadableVersionsAreCorrupt(String version) {
        assertThatThrownBy(() -> RawRead.of(VALID.replace("\"2.0.0\"", version)))
                .isInstanceOf(CorruptedStateException.class).hasMessageContaining("\"version\"");
    }

    @Test
    void minorAndPatchVersionsAreIgnored() throws IOException {
        assertThat(RawRead.of(VALID.replace("\"2.0.0\"", "\"2.7.1\"")).header().formatVersion()).isEqualTo(2);
        assertThat(RawRead.of(VALID.replace("\"2.0.0\"", "\"2\"")).header().formatVersion()).isEqualTo(2);
    }

    @Test
    void headerFieldsAreChecked() {
        assertCorrupt(VALID.replace("\"vecpersist-json\"", "\"other-json\""), "not 'vecpersist-json'");
        assertCorrupt(VALID.replace("\"kind\":\"full\"", "\"kind\":\"partial\""), "\"kind\"");
        assertCorrupt(VALID.replace("\"metric\":\"cosine\"}", "\"metric\":\"manhattan\"}"), "unknown metric");
        assertCorrupt(VALID.replace("\"count\":1,\"dimension\":2", "\"count\":1,\"dimension\":3"), "elsewhere 2");
        assertCorrupt(VALID.replace("\"count\":1,\"dimension\":2,\"metric\":\"cosine\"", "\"count\":1,\"dimension\":2,\"metric\":\"dot\""),
                "elsewhere cosine");
        assertCorrupt(VALID.replace("\"dimension\":2", "\"dimension\":0"), "outside 1..");
        assertCorrupt(VALID.replace("\"dimension\":2", "\"dimension\":2000000000"), "outside 1..");
        assertCorrupt(VALID.replace("\"dimension\":2", "\"dimension\":\"2\""), "must be an integer");
        assertCorrupt(VALID.replace("\"count\":1", "\"count\":-1"), "outside 0..");
        assertCorrupt(VALID.replace("\"count\":1", "\"count\":1e3"), "must be an integer");
        assertCorrupt(VALID.replace("\"count\":1", "\"count\":123456789012345678901234567890"), "must be an integer");
        assertCorrupt(VALID.replace("\"timestamp\":5", "\"timestamp\":\"now\""), "\"timestamp\"");
        assertCorrupt(VALID.replace("\"stats\":{\"count\":1,", "\"stats\":{\"deletions\":2,\"count\":1,"), "announces 2 deletions");
        assertCorrupt(VALID.replace("\"timestamp\":5,", "\"timestamp\":5,\"indexState\":\"not base64!\","), "indexState");
        assertCorrupt(VALID.replace("\"timestamp\":5,", "\"timestamp\":5,\"userMetadata\":[1],"), "metadata must be a JSON object");
        assertCorrupt("[" + VALID + "]", "a state is a JSON object");
        assertCorrupt("{\"version\":\"2.0.0\"}", "no \"vectors\" array");
    }

    @Test
    void vectorsAreChecked() {
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5]"), "the vector has 1 components, the header says 2");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,-2.0,3]"), "more than the header's 2 components");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,\"x\"]"), "component 1 is a string");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,null]"), "component 1 is null");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,[2]]"), "component 1 is an array");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,1e39]"), "beyond the range of a float");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,-4e38]"), "beyond the range of a float");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,1" + "0".repeat(50) + "]"), "beyond the range of a float");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,NaN]"), "malformed");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,Infinity]"), "malformed");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,\"NaN\"]"), "is a string");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "[1.5,0." + "1".repeat(500) + "]"), "Number value length");
        assertCorrupt(VALID.replace("[1.5,-2.0]", "{}"), "must be an array");
        assertCorrupt(VALID.replace("\"id\":\"a\",", ""), "entry 0 has no \"id\"");
        assertCorrupt(VALID.replace("\"vector\":[1.5,-2.0],", ""), "entry 0 has no \"vector\"");
        assertCorrupt(VALID.replace("\"id\":\"a\"", "\"id\":7"), "id of entry 0");
        assertCorrupt(VALID.replace(ENTRY, "[1]"), "entry 0 must be an object");
    }

    @Test
    void metadataIsChecked() {
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":123456789012345678901234567890}"), "does not fit in a long");
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":1e400}"), "beyond the range of a double");
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":1,\"k\":2}"), "Duplicate field 'k'");
        assertCorrupt(VALID.replace("{\"k\":1}", "[1]"), "metadata must be a JSON object");
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":" + "[".repeat(70) + "]".repeat(70) + "}"), "nest");
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"), "nest");
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":undefined}"), "malformed");
    }

    @Test
    void metadataExactlyAtTheDepthLimitLoads() throws IOException {
        // 64 levels: the metadata object itself and 63 arrays inside it
        String deep = "{\"k\":" + "[".repeat(63) + "]".repeat(63) + "}";
        assertThat(RawRead.of(VALID.replace("{\"k\":1}", deep)).entries()).hasSize(1);
        assertCorrupt(VALID.replace("{\"k\":1}", "{\"k\":" + "[".repeat(64) + "]".repeat(64) + "}"),
                "nested deeper than 64 levels");
    }

    @Test
    void structureAroundTheVectorsIsChecked() {
        assertCorrupt(VALID.replace("\"vectors\":[", "\"deleted\":[],\"vectors\":["), "must come after \"vectors\"");
        assertCorrupt(VALID.replace("],\"checksum\"", "],\"deleted\":[\"x\"],\"checksum\""), "a full state has \"deleted\"");
        assertCorrupt(VALID.replace("],\"checksum\"", "],\"vectors\":[],\"checksum\""), "Duplicate field 'vectors'");
        assertCorrupt(VALID.replace("\"checksum\":\"crc32c:00000000\"", "\"checksum\":7"), "\"checksum\" must be a string");
        assertCorrupt(VALID + "{}", "content after the end of the state");
        assertCorrupt(VALID + "x", "malformed");
        assertCorrupt(VALID.replace("\"vectors\":[", "\"vectors\":7,\"x\":["), "\"vectors\" must be an array");
        String delta = VALID.replace("\"full\"", "\"delta\"")
                .replace("],\"checksum\"", "],\"deleted\":[\"x\",3],\"checksum\"");
        assertCorrupt(delta, "deleted id 1");
    }

    @Test
    void unknownFieldsAndAnyKeyOrderAreAccepted() throws IOException {
        String shuffled = "\uFEFF \n{ \"checksum\":\"crc32c:00000001\",\"future\":{\"a\":[1,{\"b\":null}]},"
                + "\"stats\":{\"count\":1,\"extra\":[true]},\"timestamp\":9,\"kind\":\"delta\","
                + "\"options\":{\"metric\":\"DOT\",\"dimension\":2},\"version\":\"2.0.0\","
                + "\"vectors\":[{\"metadata\":null,\"note\":{\"x\":1},\"vector\":[0,1e-50],\"id\":\"z\"}],"
                + "\"later\":1,\"deleted\":[\"q\"],\"end\":[]}";
        RawRead read = RawRead.of(shuffled.getBytes(StandardCharsets.UTF_8));
        assertThat(read.header()).isEqualTo(new StateHeader(2, StateHeader.Kind.DELTA, 2, Metric.DOT, 1, 0,
                Instant.ofEpochMilli(9), Map.of(), null));
        assertThat(read.entries()).containsExactly(new VectorEntry("z", new float[] {0f, 0f}, Map.of()));
        assertThat(read.deletions()).containsExactly("q");
        assertThat(read.checksum()).isEqualTo("crc32c:00000001");
    }

    @Test
    void aVersionOneFileMayCarryItsTimestampUpFront() throws IOException {
        String v1 = "{\"version\":\"1.0.0\",\"timestamp\":1234,\"options\":{\"dimension\":1,\"metric\":\"cosine\"},"
                + "\"stats\":{\"count\":0,\"dimension\":1,\"metric\":\"cosine\"},\"vectors\":[],\"checksum\":\"ab\"}";
        RawRead read = RawRead.of(v1);
        assertThat(read.header().createdAt()).isEqualTo(Instant.ofEpochMilli(1234));
        assertThat(read.header().formatVersion()).isEqualTo(1);
        assertThat(read.checksum()).isEqualTo("ab");
    }

    @Test
    void garbageAndForeignContentAreCorrupt() {
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            if (i % 2 == 0) {
                garbage[0] = '{'; // get past the first token now and then
            }
            assertThatThrownBy(() -> RawRead.of(garbage)).isInstanceOf(CorruptedStateException.class);
        }
        byte[] sqlite = "SQLite format 3\0 and then pages".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RawRead.of(sqlite)).isInstanceOf(CorruptedStateException.class);
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0, '"', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> RawRead.of(utf32)).isInstanceOf(CorruptedStateException.class);
        byte[] badUtf8 = (HEAD + "\"vectors\":[{\"id\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] withBadByte = Arrays.copyOf(badUtf8, badUtf8.length + 3);
        withBadByte[badUtf8.length] = (byte) 0xc3; // a lead byte followed by no continuation
        withBadByte[badUtf8.length + 1] = '"';
        withBadByte[badUtf8.length + 2] = '}';
        assertThatThrownBy(() -> RawRead.of(withBadByte)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void mutatedFilesLoadIdenticallyOrAreCorrupt() throws IOException {
        Path f = dir.resolve("original.json");
        List<VectorEntry> entries = TestStates.mixedMetadataEntries(15, 6, 4);
        StateHeader header = StateHeader.full(2, 6, Metric.COSINE, entries.size(), Instant.ofEpochMilli(77));
        StateFiles.write(new JsonStateFormat(), f, header, entries, List.of());
        byte[] bytes = Files.readAllBytes(f);
        Random random = new Random(19);
        for (int trial = 0, n = Integer.getInteger("vecpersist.fuzz.trials", 600); trial < n; trial++) {
            byte[] changed = mutate(bytes, random);
            Path bad = dir.resolve("mutant.json");
            Files.write(bad, changed);
            try {
                StateFiles.ReadState back = StateFiles.read(new JsonStateFormat(), bad);
                assertThat(back.entries()).as("trial %d loaded", trial).containsExactlyElementsOf(entries);
                // "2.0.0" may become "1.0.0": the same content, read as the reference layout
                assertThat(back.header()).usingRecursiveComparison().ignoringFields("formatVersion").isEqualTo(header);
            } catch (CorruptedStateException expected) {
                assertThat(expected.getMessage()).contains(bad.toString());
            } catch (IncompatibleStateException expected) {
                assertThat(expected.getMessage()).contains("newer");
            } catch (Exception other) {
                fail("trial " + trial + ": expected CorruptedStateException, got " + other, other);
            }
        }
    }

    /** One random flip, insertion, deletion or duplication of bytes. */
    private static byte[] mutate(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] out = bytes.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1 -> {
                byte[] out = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = (byte) "{}[],:\"0-e.tn \\".charAt(random.nextInt(15));
                System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                return out;
            }
            case 2 -> {
                int n = 1 + random.nextInt(Math.min(20, bytes.length - at));
                byte[] out = new byte[bytes.length - n];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + n, out, at, bytes.length - at - n);
                return out;
            }
            default -> {
                int n = 1 + random.nextInt(Math.min(40, bytes.length - at));
                byte[] out = new byte[bytes.length + n];
                System.arraycopy(bytes, 0, out, 0, at + n);
                System.arraycopy(bytes, at, out, at + n, bytes.length - at);
                return out;
            }
        }
    }

    @Test
    void failuresOfTheSourceItselfAreNotReportedAsCorruption() throws IOException {
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
        InputStream failing = new ByteArrayInputStream(bytes, 0, 40) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new UncheckedIOException(new IOException("disk on fire"));
                }
                return n;
            }
        };
        assertThatThrownBy(() -> RawRead.of(failing, "x.json")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("disk on fire");
        InputStream checked = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("cable unplugged");
            }
        };
        assertThatThrownBy(() -> RawRead.of(checked, "y.json")).isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("cable unplugged");
    }

    @Test
    void aFileSourceIsRefused() {
        assertThatThrownBy(() -> new JsonStateFormat().newReader(StateSource.ofFile(dir.resolve("x.json"), "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream");
    }

    @Test
    void theReaderStreamsAndDoesNotReadAhead() throws IOException {
        // 4,000 entries, of which the last is damaged: the first ones arrive without error, from a
        // small part of the input
        Path f = dir.resolve("large.json");
        List<VectorEntry> entries = TestStates.entries(4_000, 64, 8);
        StateFiles.write(new JsonStateFormat(), f, StateHeader.full(2, 64, Metric.DOT, entries.size(), Instant.EPOCH),
                entries, List.of());
        String text = Files.readString(f);
        int last = text.lastIndexOf("\"vector\":[");
        byte[] damaged = (text.substring(0, last) + "\"vector\":[\"oops\"" + text.substring(last + 10))
                .getBytes(StandardCharsets.UTF_8);
        long[] consumed = new long[1];
        InputStream counting = new ByteArrayInputStream(damaged) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(n, 0);
                return n;
            }
        };
        try (StateReader reader = new JsonStateFormat().newReader(StateSource.ofStream(counting, "large.json"))) {
            assertThat(reader.nextEntry()).isEqualTo(entries.get(0));
            assertThat(consumed[0]).as("bytes read for the header and one entry").isLessThan(64 * 1024);
            for (int i = 1; i < 3_999; i++) {
                assertThat(reader.nextEntry()).isEqualTo(entries.get(i));
            }
            assertThatThrownBy(reader::nextEntry).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("entry 3999");
        }
        assertThat(damaged.length).isGreaterThan(1_000_000);
    }
}
