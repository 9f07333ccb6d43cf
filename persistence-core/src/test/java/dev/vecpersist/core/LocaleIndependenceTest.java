package dev.vecpersist.core;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.FileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, case 1: file names, checksums and file content do not depend on the default locale
 * (under ar-SA, {@code String.format("%010d")} gives Arabic-Indic digits; under tr-TR,
 * {@code "I".toLowerCase()} is a dotless i).
 */
class LocaleIndependenceTest {

    private static final Locale ORIGINAL = Locale.getDefault();

    @TempDir
    Path dir;

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(ORIGINAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-SA", "fa-IR", "tr-TR", "hi-IN-u-nu-deva", "th-TH-u-nu-thai"})
    void savesIncrementalSavesSnapshotsAndLoadsUnderAnyDefaultLocale(String tag) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        VectorDB db = new VectorDB(3, Metric.COSINE);
        for (int i = 0; i < 12; i++) {
            db.insert(new VectorEntry("ID-" + i, new float[] {i, 1.5f, -i}, Map.of("TITLE", "I" + i, "n", i, "x", i / 3.0)));
        }
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).compression("gzip").build();
        String snapshot;
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            Path base = p.save();
            assertThat(base.getFileName().toString()).isEqualTo("state-0000000001.json.gz");
            db.delete("ID-3");
            db.insert(new VectorEntry("ID-99", new float[] {9, 9, 9}, Map.of()));
            Path delta = p.saveIncremental().orElseThrow();
            assertThat(delta.getFileName().toString()).isEqualTo("state-0000000001-delta-000001.json.gz");
            snapshot = p.createSnapshot("SNAP-I", Map.of("İ", 1)).id();
        }
        VectorDB back = new VectorDB(3, Metric.COSINE);
        try (DatabasePersistence q = new DatabasePersistence(back, options)) {
            q.load();
            assertSameContent(back, contents(db));
            q.restoreSnapshot(snapshot);
            assertSameContent(back, contents(db));
        }
    }

    @Test
    void theManifestsOwnChecksumDoesNotDependOnTheLocale() throws IOException {
        Manifest m = new Manifest(12, new Manifest.FileRef("state-0000000012.json", "json", "none", "crc32c:01234567",
                1234567, 0, 9876543), List.of());
        Locale.setDefault(Locale.forLanguageTag("ar-SA"));
        m.write(FileOps.SYSTEM, dir);
        String arabic = Files.readString(dir.resolve(Manifest.FILE_NAME));
        Locale.setDefault(Locale.ROOT);
        Files.delete(dir.resolve(Manifest.FILE_NAME));
        m.write(FileOps.SYSTEM, dir);
        assertThat(arabic).isEqualTo(Files.readString(dir.resolve(Manifest.FILE_NAME))).contains("\"manifestVersion\" : 3");
        assertThat(Manifest.read(FileOps.SYSTEM, dir.resolve(Manifest.FILE_NAME))).isEqualTo(m);
    }

    /** A manifest written by the version before the canonical checksum (kept as a test resource) still loads. */
    @Test
    void readsManifestsWrittenBeforeTheCanonicalChecksum() throws IOException {
        Path legacy = dir.resolve(Manifest.FILE_NAME);
        try (InputStream in = getClass().getResourceAsStream("/manifest-v1/MANIFEST.json")) {
            Files.copy(in, legacy);
        }
        Manifest m = Manifest.read(FileOps.SYSTEM, legacy);
        assertThat(m.generation()).isEqualTo(7);
        assertThat(m.fileNames()).containsExactly("state-0000000007.json.gzip", "state-0000000007-delta-000001.json.gzip");
        assertThat(m.deltas().get(0).deletions()).isEqualTo(2);

        // one changed field is still caught under the old checksum
        Files.writeString(legacy, Files.readString(legacy).replace("\"bytes\" : 812", "\"bytes\" : 813"));
        assertThatThrownBy(() -> Manifest.read(FileOps.SYSTEM, legacy)).hasMessageContaining("checksum mismatch");
    }
}
