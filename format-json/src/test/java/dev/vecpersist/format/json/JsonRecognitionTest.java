package dev.vecpersist.format.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** recognizes(): JSON objects with a key, and nothing that another format or codec starts with. */
class JsonRecognitionTest {

    private final JsonStateFormat format = new JsonStateFormat();

    private boolean recognizes(byte[] b) {
        return format.recognizes(b, b.length);
    }

    private boolean recognizes(String s) {
        return recognizes(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"version\":\"2.0.0\"", "{\n  \"version\": \"1.0.0\"", " \t\r\n{ \"x\"", "\uFEFF{\"a\"",
            "\uFEFF\n{\n\"a\""})
    void recognizesJsonObjectsWithAKey(String head) {
        assertThat(recognizes(head)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{ ", "{}", "[{\"a\"", "\"{\"", "x{\"a\"", "\uFEFF", "{'a'", "{\u00a0\"a\""})
    void rejectsOtherText(String head) {
        assertThat(recognizes(head)).isFalse();
    }

    @Test
    void rejectsOtherFormatsAndCodecs() {
        assertThat(recognizes("SQLite format 3\0".getBytes(StandardCharsets.ISO_8859_1))).isFalse();
        assertThat(recognizes(new byte[] {0x1f, (byte) 0x8b, 8, 0})).as("gzip").isFalse();
        assertThat(recognizes(new byte[] {0x04, 0x22, 0x4d, 0x18})).as("lz4 frame").isFalse();
        assertThat(recognizes(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd})).as("zstd").isFalse();
        assertThat(recognizes(new byte[] {(byte) 0xaa, 'V', 'E', 'C', 'P', 'E', 'R', 'S', 'I', 'S', 'T'})).as("msgpack").isFalse();
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[1 + random.nextInt(64)];
            random.nextBytes(b);
            if (b[0] != '{' && b[0] != ' ' && b[0] != '\n' && b[0] != '\r' && b[0] != '\t' && b[0] != (byte) 0xef) {
                assertThat(recognizes(b)).isFalse();
            }
        }
    }

    @Test
    void looksOnlyAtTheValidBytes() {
        byte[] head = "{\"a\"".getBytes(StandardCharsets.US_ASCII);
        assertThat(format.recognizes(head, 1)).isFalse();
        assertThat(format.recognizes(head, 2)).isTrue();
        assertThat(format.recognizes(head, 100)).as("a length beyond the array").isTrue();
    }
}
