package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every file the TypeScript reference module wrote loads, detected from its content. */
class ReferenceFixturesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"small.json, none", "small.bin, none", "small.json.gzip, gzip", "small.json.brotli, brotli"})
    void loadsEveryReferenceFile(String name, String codec) throws IOException {
        // copy under a misleading name: detection must not look at it
        Path file = dir.resolve("renamed.sqlite");
        Files.copy(Fixtures.referenceModule().resolve(name), file);
        StateInspector.Report report = new StateInspector().inspect(file, 0);
        assertThat(report.format()).isEqualTo("json");
        assertThat(report.compression()).isEqualTo(codec);
        assertThat(report.checksumState()).isEqualTo("VERIFIED_REFERENCE_SHA256");

        VectorDB db = new VectorDB(16, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("b")).build())) {
            p.load(file);
        }
        assertThat(db.size()).isEqualTo(20);
        assertThat(db.get("19").orElseThrow().metadata()).containsEntry("category", "B")
                .containsEntry("tags", List.of("x", "y"))
                .containsEntry("nested", Map.of("ok", false, "score", 2.7142857142857144));
    }

    @org.junit.jupiter.api.Test
    void restoresTheReferenceModulesSnapshot() throws IOException {
        Path base = dir.resolve("base");
        Files.createDirectories(base.resolve("snapshots"));
        try (var files = Files.list(Fixtures.referenceModule().resolve("snapshots"))) {
            for (Path f : files.toList()) {
                Files.copy(f, base.resolve("snapshots").resolve(f.getFileName()));
            }
        }
        VectorDB db = new VectorDB(16, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            List<SnapshotMetadata> all = p.listSnapshots();
            assertThat(all).singleElement().extracting(SnapshotMetadata::name).isEqualTo("seed-snapshot");
            p.restoreSnapshot(all.get(0).id());
        }
        assertThat(db.size()).isEqualTo(20);
    }
}
