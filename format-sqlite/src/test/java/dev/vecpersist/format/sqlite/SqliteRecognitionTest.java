package dev.vecpersist.format.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** recognizes(): SQLite's 16-byte header string, and nothing else. */
class SqliteRecognitionTest {

    private final SqliteStateFormat format = new SqliteStateFormat();

    private boolean recognizes(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        return format.recognizes(b, b.length);
    }

    @Test
    void recognizesTheSqliteHeader() {
        assertThat(recognizes("SQLite format 3\0")).isTrue();
        assertThat(recognizes("SQLite format 3\0\u0010\0\u0001\u0001")).isTrue();
    }

    @Test
    void rejectsNearMissesAndOtherFormats() {
        assertThat(recognizes("SQLite format 3")).as("15 bytes").isFalse();
        assertThat(recognizes("SQLite format 3 ")).as("no NUL").isFalse();
        assertThat(recognizes("SQLite format 2\0")).isFalse();
        assertThat(recognizes("sqlite format 3\0")).isFalse();
        assertThat(recognizes("{\"version\":\"2.0.0\"}")).isFalse();
        assertThat(recognizes("\u00aaVECPERSIST and more")).isFalse();
        assertThat(recognizes("\u001f\u008b\u0008\0\0\0\0\0\0\0\0\0\0\0\0\0")).as("gzip").isFalse();
        assertThat(recognizes("")).isFalse();
    }

    @Test
    void looksOnlyAtTheValidBytes() {
        byte[] head = "SQLite format 3\0".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(format.recognizes(head, 15)).isFalse();
        assertThat(format.recognizes(Arrays.copyOf(head, 64), 16)).isTrue();
    }

    @Test
    void recognizesWrittenFiles(@TempDir Path dir) throws Exception {
        Path ours = dir.resolve("ours.sqlite");
        SqliteFiles.write(ours, SqliteFiles.full(2, 0), java.util.List.of());
        byte[] head = Arrays.copyOf(Files.readAllBytes(ours), 100);
        assertThat(format.recognizes(head, head.length)).isTrue();
    }
}
