package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** recognizes() claims exactly our 11-byte magic, and nothing of other formats or codecs. */
class MsgpackRecognitionTest {

    private final MsgpackStateFormat format = new MsgpackStateFormat();

    @TempDir
    Path dir;

    private boolean recognizes(byte[] head) {
        return format.recognizes(head, head.length);
    }

    @Test
    void ourFilesStartWithTheMagicFixstr() throws IOException {
        Path f = dir.resolve("ours.msgpack");
        StateFiles.write(format, f, StateHeader.full(1, 4, Metric.COSINE, 3, Instant.EPOCH), TestStates.entries(3, 4, 1), List.of());
        byte[] bytes = Files.readAllBytes(f);
        assertThat(Arrays.copyOf(bytes, 11)).containsExactly(0xaa, 'V', 'E', 'C', 'P', 'E', 'R', 'S', 'I', 'S', 'T');
        assertThat(recognizes(bytes)).isTrue();
        assertThat(recognizes(Arrays.copyOf(bytes, 11))).isTrue();
        assertThat(format.recognizes(Arrays.copyOf(bytes, 64), 11)).isTrue();
    }

    @Test
    void theMagicIsAnOrdinaryMessagePackString() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MessagePacker p = MessagePack.newDefaultPacker(out)) {
            p.packString("VECPERSIST");
        }
        assertThat(out.toByteArray()).isEqualTo(MsgpackLayout.MAGIC);
    }

    @Test
    void aCutOffOrAlteredMagicIsNotOurs() {
        for (int length = 0; length < MsgpackLayout.MAGIC.length; length++) {
            assertThat(recognizes(Arrays.copyOf(MsgpackLayout.MAGIC, length))).as("first %d bytes", length).isFalse();
            byte[] head = Arrays.copyOf(MsgpackLayout.MAGIC, 32);
            assertThat(format.recognizes(head, length)).as("length %d of a longer head", length).isFalse();
        }
        for (int i = 0; i < MsgpackLayout.MAGIC.length; i++) {
            byte[] altered = Arrays.copyOf(MsgpackLayout.MAGIC, 16);
            altered[i] ^= 0x20; // e.g. lower case
            assertThat(recognizes(altered)).as("byte %d altered", i).isFalse();
        }
        assertThat(format.recognizes(MsgpackLayout.MAGIC, 100)).as("length beyond the array").isTrue();
        assertThat(format.recognizes(new byte[3], 100)).isFalse();
    }

    @Test
    void otherFormatsAndCodecsAreNotOurs() {
        List<byte[]> others = List.of(
                "{\"version\":\"2.0.0\",\"format\":\"vecpersist-json\"}".getBytes(StandardCharsets.UTF_8),
                "  \n{\"vectors\":[]}".getBytes(StandardCharsets.UTF_8),
                "\uFEFF{}".getBytes(StandardCharsets.UTF_8),
                "SQLite format 3\0\u0010\u0000\u0001\u0001".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2},
                new byte[] {0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, (byte) 0xa7, 0, 0, 0, 0},
                new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0},
                "VECPERSIST but as plain text".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xab, 'V', 'E', 'C', 'P', 'E', 'R', 'S', 'I', 'S', 'T', 'X'},
                new byte[64]);
        for (byte[] other : others) {
            assertThat(recognizes(other)).as(new String(other, StandardCharsets.ISO_8859_1)).isFalse();
        }
    }

    @Test
    void randomBytesAreNotOurs() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            byte[] head = new byte[1 + random.nextInt(64)];
            random.nextBytes(head);
            assertThat(recognizes(head)).isFalse();
        }
    }
}
