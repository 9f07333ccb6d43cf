package dev.vecpersist.it;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, case 4: the reference module's SHA-256 (of JSON.stringify of the state without its
 * checksum) is recomputed, so all five reference files verify and one changed digit is caught.
 */
class ReferenceChecksumTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small.json", "small.bin", "small.json.gzip", "small.json.brotli", "snapshot"})
    void everyReferenceFileVerifies(String name) throws IOException {
        Path file = name.equals("snapshot") ? snapshotData() : Fixtures.referenceModule().resolve(name);
        assertThat(new StateInspector().verify(file).checksumState()).isEqualTo("VERIFIED_REFERENCE_SHA256");
    }

    private static Path snapshotData() throws IOException {
        try (var files = Files.list(Fixtures.referenceModule().resolve("snapshots"))) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".meta.json")).findFirst().orElseThrow();
        }
    }

    /**
     * The first change keeps the float32 a vector component loads as (so only the SHA-256 can see
     * it), the others change a metadata value or a string.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-0.5224383473396301|-0.5224383473396302",
            "\"timestamp\": 1700000000000|\"timestamp\": 1700000000001",
            "\"category\": \"A\"|\"category\": \"B\""})
    void oneChangedDigitIsCaught(String from, String to) throws IOException {
        String text = Files.readString(Fixtures.referenceModule().resolve("small.json"));
        assertThat(text).contains(from);
        Path changed = dir.resolve("changed.json");
        Files.writeString(changed, text.replaceFirst(java.util.regex.Pattern.quote(from), to));
        assertCaught(changed);

        Path gzipped = dir.resolve("changed.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(Files.readAllBytes(changed));
        }
        assertCaught(gzipped);
    }

    private void assertCaught(Path file) {
        assertThatThrownBy(() -> new StateInspector().verify(file)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("SHA-256");
        VectorDB db = new VectorDB(16, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("b")).build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class);
        }
        assertThat(db.size()).isZero();
    }

    @Test
    void whitespaceAndKeyOrderOfTheFileDoNotMatterButTheValuesDo() throws IOException {
        // small.bin is the same state on one line: the same SHA-256 from different bytes
        String pretty = Files.readString(Fixtures.referenceModule().resolve("small.json"));
        Path reindented = dir.resolve("reindented.json");
        Files.writeString(reindented, pretty.replace("\n", "\r\n").replace("  ", "\t"));
        assertThat(new StateInspector().verify(reindented).checksumState()).isEqualTo("VERIFIED_REFERENCE_SHA256");
    }
}
