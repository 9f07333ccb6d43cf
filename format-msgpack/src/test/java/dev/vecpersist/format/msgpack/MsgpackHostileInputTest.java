package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.testkit.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Hand-made files that our writer never produces: lengths and counts claiming gigabytes, wrong
 * types, out-of-model values, a newer version. Each fails fast with a precise exception and
 * without allocating what the file claims (the test JVM has 2 GiB: allocating a claimed 2 GiB
 * would fail with OutOfMemoryError, not CorruptedStateException).
 */
class MsgpackHostileInputTest {

    private final MsgpackStateFormat format = new MsgpackStateFormat();

    @TempDir
    Path dir;

    /** Reads the file (checksum included) within a second and returns what it threw. */
    private Throwable failureOf(byte[] content) throws IOException {
        Path f = Handcrafted.write(dir, "hostile", content);
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                StateFiles.read(format, f);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
    }

    private void assertCorrupt(byte[] content, String... messageParts) throws IOException {
        Throwable t = failureOf(content);
        assertThat(t).isInstanceOf(CorruptedStateException.class);
        assertThat(t.getMessage()).contains(dir.resolve("hostile.msgpack").toString()).contains(messageParts);
    }

    @Test
    void aBinClaiming2GiBForAVector() throws IOException {
        // bin32 with length 0x80000000: negative as an int, refused by the unpacker itself
        assertCorrupt(Handcrafted.state(1, 4, 1, p -> {
            p.packArrayHeader(3).packString("a");
            p.writePayload(new byte[] {(byte) 0xc6, (byte) 0x80, 0, 0, 0});
        }), "entry 0");
        assertCorrupt(Handcrafted.state(1, 4, 1, p -> {
            p.packArrayHeader(3).packString("a");
            p.packBinaryHeader(Integer.MAX_VALUE);
        }), "entry 0", "the vector has 2147483647 bytes, expected 16");
    }

    @Test
    void anIndexStateClaimingAGibibyteWithNothingBehindIt() throws IOException {
        assertCorrupt(Handcrafted.custom(p -> {
            p.packMapHeader(9);
            p.packString("version").packInt(1).packString("kind").packString("full").packString("dimension").packInt(1)
                    .packString("metric").packString("cosine").packString("entryCount").packInt(0)
                    .packString("deletionCount").packInt(0).packString("createdAt").packLong(0)
                    .packString("userMetadata").packMapHeader(0);
            p.packString("indexState").packBinaryHeader(MsgpackLayout.MAX_INDEX_STATE).writePayload(new byte[100]);
        }), "truncated", "the header");
        assertCorrupt(Handcrafted.custom(p -> {
            p.packMapHeader(1).packString("indexState").packBinaryHeader(Integer.MAX_VALUE);
        }), "the index state is 2147483647 bytes long, more than 1073741824");
    }

    @Test
    void hugeMapsListsAndStrings() throws IOException {
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(Integer.MAX_VALUE);
        }), "entry 0", "claims 2147483647 elements");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(1).packString("k").packArrayHeader(MsgpackLayout.MAX_CONTAINER + 1);
        }), "entry 0", "a metadata list claims 1048577 elements");
        // within the cap, but with nothing behind it: truncated, without pre-sizing anything
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(MsgpackLayout.MAX_CONTAINER);
        }), "truncated", "entry 0");
        assertCorrupt(Handcrafted.state(1, 2, 1, p -> p.packArrayHeader(3).packRawStringHeader(Integer.MAX_VALUE)),
                "entry 0", "the id is 2147483647 bytes long, more than 65536");
        assertCorrupt(Handcrafted.state(1, 2, 1, p -> p.packArrayHeader(3).packRawStringHeader(MsgpackLayout.MAX_ID_BYTES)),
                "truncated", "entry 0");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(1).packString("k").packRawStringHeader(MsgpackLayout.MAX_STRING_BYTES + 1);
        }), "entry 0", "a metadata string is 16777217 bytes long");
        assertCorrupt(Handcrafted.custom(p -> p.packMapHeader(Integer.MAX_VALUE)), "the header claims 2147483647 keys");
    }

    @Test
    void hugeDimensionAndCounts() throws IOException {
        assertCorrupt(Handcrafted.state(1, Integer.MAX_VALUE, 1, p -> { }), "dimension 2147483647 is out of range");
        assertCorrupt(Handcrafted.state(1, 0, 0, p -> { }), "dimension 0 is out of range");
        assertCorrupt(Handcrafted.state(1, 2, Long.MAX_VALUE, p -> { }), "truncated", "entry 0");
        assertCorrupt(Handcrafted.state(1, 2, -1, p -> { }), "invalid counts");
    }

    @Test
    void metadataNestedDeeperThanTheLimit() throws IOException {
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            for (int i = 0; i < 10_000; i++) {
                p.packMapHeader(1).packString("a");
            }
            p.packInt(1);
        }), "entry 0", "nested deeper than " + MetadataValues.MAX_DEPTH);
        // lists count too: a map holding 64 nested lists is 65 levels
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(1).packString("a");
            for (int i = 0; i < MetadataValues.MAX_DEPTH; i++) {
                p.packArrayHeader(1);
            }
            p.packInt(1);
        }), "nested deeper");
    }

    @Test
    void valuesOutsideTheMetadataModel() throws IOException {
        assertCorrupt(entryWithMetadataValue(p -> p.packExtensionTypeHeader((byte) 1, 4).writePayload(new byte[4])),
                "entry 0", "extension");
        assertCorrupt(entryWithMetadataValue(p -> p.packBinaryHeader(2).writePayload(new byte[2])), "entry 0", "binary");
        assertCorrupt(entryWithMetadataValue(p -> p.packBigInteger(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE))),
                "entry 0", "does not fit a signed 64-bit long");
        assertCorrupt(entryWithMetadataValue(p -> p.packDouble(Double.NaN)), "entry 0", "NaN");
        assertCorrupt(entryWithMetadataValue(p -> p.packFloat(Float.POSITIVE_INFINITY)), "entry 0", "Infinity");
        assertCorrupt(entryWithMetadataValue(p -> p.packTimestamp(0L)), "entry 0", "extension");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(1).packInt(5).packString("value");
        }), "entry 0", "a map key is not a string");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(2).packString("k").packInt(1).packString("k").packInt(2);
        }), "entry 0", "metadata key 'k' appears twice");
    }

    private static byte[] entryWithMetadataValue(Handcrafted.Body value) {
        return Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(1).packString("k");
            value.write(p);
        });
    }

    @Test
    void wrongTypesAndShapes() throws IOException {
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> p.packMapHeader(0)), "entry 0", "not an entry array");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> p.packArrayHeader(2).packString("a").packBinaryHeader(4)),
                "entry 0", "an array of 2");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> p.packArrayHeader(3).packInt(7)), "entry 0", "the id is not a string");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> p.packArrayHeader(3).packBinaryHeader(1).writePayload(new byte[] {'a'})),
                "entry 0", "the id is not a string");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> p.packArrayHeader(3).packString("a").packString("abcd")),
                "entry 0", "the vector is a string");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packArrayHeader(1).packFloat(1f);
        }), "entry 0", "the vector is an array");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]).packNil();
        }), "entry 0", "metadata is not a map");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packRawStringHeader(2).writePayload(new byte[] {(byte) 0xc3, (byte) 0x28});
        }), "entry 0", "the id is not valid UTF-8");
        assertCorrupt(Handcrafted.state(1, 1, 1, p -> {
            p.packArrayHeader(3).packRawStringHeader(3).writePayload(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
        }), "entry 0", "not valid UTF-8"); // an encoded lone surrogate (CESU-8)
    }

    /** The reader decodes structure; the manager refuses a component that is not finite (EntryRules). */
    @Test
    void nonFiniteComponentsAreReadBitForBitForTheManagerToRefuse() throws IOException {
        for (int bits : new int[] {Float.floatToRawIntBits(Float.NaN), 0x7fc00123, 0xff800000}) {
            byte[] content = Handcrafted.state(1, 1, 1, p -> p.packArrayHeader(3).packString("a")
                    .packBinaryHeader(4).writePayload(floatBytes(Float.intBitsToFloat(bits))).packMapHeader(0));
            try (StateReader reader = format.newReader(StateSource.ofStream(new ByteArrayInputStream(content), "hostile"))) {
                assertThat(Float.floatToRawIntBits(reader.nextEntry().vector()[0])).isEqualTo(bits);
            }
        }
    }

    private static byte[] floatBytes(float f) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f).array();
    }

    @Test
    void aBadHeader() throws IOException {
        assertCorrupt(Handcrafted.custom(p -> p.packInt(1)), "the header is not a map");
        assertCorrupt(Handcrafted.custom(p -> p.packMapHeader(1).packString("version").packString("1")),
                "header field 'version' is a string");
        assertCorrupt(Handcrafted.custom(p -> p.packMapHeader(2).packString("version").packInt(1).packString("version").packInt(1)),
                "header key 'version' appears twice");
        assertCorrupt(Handcrafted.custom(p -> p.packMapHeader(1).packString("format").packString("other")),
                "the header's format is 'other'");
        assertCorrupt(Handcrafted.state(0, 1, 0, p -> { }), "layout version 0");
        assertCorrupt(Handcrafted.custom(p -> p.packMapHeader(1).packString("version").packInt(1)), "the header has no 'kind'");
        assertCorrupt(Handcrafted.custom(p -> {
            p.packMapHeader(7);
            p.packString("version").packInt(1).packString("kind").packString("partial").packString("dimension").packInt(1)
                    .packString("metric").packString("cosine").packString("entryCount").packInt(0)
                    .packString("deletionCount").packInt(0).packString("createdAt").packLong(0);
        }), "unknown kind 'partial'");
        assertCorrupt(Handcrafted.custom(p -> {
            p.packMapHeader(7);
            p.packString("version").packInt(1).packString("kind").packString("full").packString("dimension").packInt(1)
                    .packString("metric").packString("manhattan").packString("entryCount").packInt(0)
                    .packString("deletionCount").packInt(0).packString("createdAt").packLong(0);
        }), "unknown metric 'manhattan'");
        assertCorrupt(Handcrafted.custom(p -> {
            p.packMapHeader(7);
            p.packString("version").packInt(1).packString("kind").packString("full").packString("dimension").packInt(1)
                    .packString("metric").packString("cosine").packString("entryCount").packInt(0)
                    .packString("deletionCount").packInt(2).packString("createdAt").packLong(0);
        }), "invalid counts for a full state");
    }

    @Test
    void aBadMagic() throws IOException {
        byte[] content = Handcrafted.state(1, 1, 0, p -> Handcrafted.trailer(p, "crc32c:00000000"));
        content[4] = 'x';
        assertCorrupt(content, "does not start with the fixstr \"VECPERSIST\"");
        assertCorrupt("{\"version\":\"2.0.0\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "not a VecPersist");
        assertCorrupt(new byte[0], "truncated");
    }

    @Test
    void aBadTrailer() throws IOException {
        assertCorrupt(Handcrafted.state(1, 1, 0, p -> p.packMapHeader(0)), "the trailer has no checksum");
        assertCorrupt(Handcrafted.state(1, 1, 0, p -> p.packString("crc32c:0")), "the trailer is not a map");
        assertCorrupt(Handcrafted.state(1, 1, 0, p -> {
            Handcrafted.trailer(p, "crc32c:0");
            p.packInt(0);
        }), "content after the trailer");
        assertCorrupt(Handcrafted.state(1, 1, 0, p -> { }), "truncated", "the trailer");
    }

    @Test
    void unknownHeaderAndTrailerKeysAreSkipped() throws IOException {
        byte[] content = Handcrafted.custom(p -> {
            p.packMapHeader(10);
            p.packString("future").packMapHeader(1).packString("x").packArrayHeader(2).packInt(1).packExtensionTypeHeader((byte) 3, 1)
                    .writePayload(new byte[1]);
            p.packString("version").packInt(1).packString("kind").packString("full").packString("dimension").packInt(1)
                    .packString("metric").packString("cosine").packString("entryCount").packInt(1)
                    .packString("deletionCount").packInt(0).packString("createdAt").packLong(0)
                    .packString("userMetadata").packNil().packString("indexState").packNil();
            Handcrafted.zeroEntry(p, "a", 1);
            p.packMapHeader(2).packString("note").packString("ignored").packString("checksum").packString("crc32c:x");
        });
        try (StateReader reader = format.newReader(StateSource.ofStream(new ByteArrayInputStream(content), "extra"))) {
            assertThat(reader.header().userMetadata()).isEmpty();
            assertThat(reader.nextEntry().id()).isEqualTo("a");
            assertThat(reader.nextEntry()).isNull();
            assertThat(reader.storedChecksum()).isEqualTo("crc32c:x");
        }
    }

    @Test
    void aNewerVersionIsIncompatibleAndNamesBothVersions() throws IOException {
        // a future layout may change anything after the version: only the version is read
        byte[] content = Handcrafted.custom(p -> {
            p.packMapHeader(3).packString("format").packString("vecpersist-msgpack").packString("version").packInt(2);
            p.packString("dimension").packString("a changed meaning");
        });
        Throwable t = failureOf(content);
        assertThat(t).isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("version 2").hasMessageContaining("version 1").hasMessageContaining("hostile.msgpack");
        assertThat(failureOf(Handcrafted.state(Long.MAX_VALUE, 1, 0, p -> { }))).isInstanceOf(IncompatibleStateException.class);
    }

    @Test
    void sourceFailuresAreNotReportedAsCorruption() {
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served == 0) {
                    served = 1;
                    System.arraycopy(MsgpackLayout.MAGIC, 0, b, off, MsgpackLayout.MAGIC.length);
                    return MsgpackLayout.MAGIC.length;
                }
                throw new IOException("disk on fire");
            }
        };
        assertThatThrownBy(() -> format.newReader(StateSource.ofStream(failing, "failing")))
                .isExactlyInstanceOf(IOException.class).hasMessage("disk on fire");
        InputStream unchecked = new InputStream() {
            @Override
            public int read() {
                throw new UncheckedIOException(new IOException("storage gone"));
            }
        };
        assertThatThrownBy(() -> format.newReader(StateSource.ofStream(unchecked, "unchecked")))
                .isExactlyInstanceOf(UncheckedIOException.class);
    }
}
