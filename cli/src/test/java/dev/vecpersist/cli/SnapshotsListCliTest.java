package dev.vecpersist.cli;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vecpersist snapshots list} tells full and differential snapshots apart and sizes both truthfully. */
class SnapshotsListCliTest {

    @TempDir
    Path dir;

    @Test
    void differentialSnapshotsShowTheirPieceCountAndTheBytesOfTheirPieces() {
        VectorDB db = Databases.random(200, 8, 3);
        SnapshotMetadata full;
        SnapshotMetadata base;
        SnapshotMetadata delta;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            p.save();
            full = p.createSnapshot("plain");
        }
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .snapshotMode(SnapshotMode.DIFFERENTIAL).build())) {
            p.load();
            base = p.createSnapshot("diff-base");
            assertThat(db.delete("vec-7")).isTrue();
            delta = p.createSnapshot("diff-delta");
        }
        assertThat(delta.isDifferential()).isTrue();
        assertThat(delta.pieces()).hasSize(base.pieces().size() + 1);
        long deltaBytes = delta.pieces().stream().mapToLong(SnapshotPiece::size).sum();
        assertThat(deltaBytes).isPositive();

        String out = CliTest.run("snapshots", "list", "--dir", dir.toString()).out();

        assertThat(out).contains("3 snapshot(s)").contains("sum of its pieces");
        assertThat(out).containsPattern(row(full.id(), "full", Formatting.humanSize(full.fileSize())));
        assertThat(out).containsPattern(row(delta.id(), "differential/" + delta.pieces().size(),
                Formatting.humanSize(deltaBytes)));
        assertThat(out).doesNotContainPattern("(?m)^" + delta.id() + ".* 0 B$");
    }

    private static String row(String id, String kind, String size) {
        return "(?m)^" + id + " .* " + Pattern.quote(kind) + " +" + Pattern.quote(size) + "$";
    }
}
