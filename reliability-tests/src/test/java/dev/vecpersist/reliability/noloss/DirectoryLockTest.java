package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, item 1: a refused in-process manager must not drop the owner's OS lock (POSIX locks
 * belong to the process and die with any closed descriptor), so another process stays refused.
 */
class DirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void anotherProcessIsRefusedAfterAnInProcessRefusal() throws Exception {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        db.insert(new VectorEntry("a", new float[] {1, 0}, Map.of()));
        try (DatabasePersistence owner = new DatabasePersistence(db, options(dir))) {
            owner.save();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> new DatabasePersistence(new VectorDB(2, Metric.COSINE), options(dir)))
                        .isInstanceOf(PersistenceException.class).hasMessageContaining("in use");
                // the same directory through another spelling of its path
                Path other = dir.resolve(".");
                assertThatThrownBy(() -> new DatabasePersistence(new VectorDB(2, Metric.COSINE), options(other)))
                        .isInstanceOf(PersistenceException.class).hasMessageContaining("in use");
            }
            ChildJvm.Result child = ChildJvm.run("128m", 120, LockProbe.class, dir.toString());
            assertThat(child.output()).as("the child's output").contains("REFUSED").doesNotContain("ACQUIRED");
            owner.save();
        }
        // released: now the other process gets it (the probe can tell both outcomes apart)
        ChildJvm.Result after = ChildJvm.run("128m", 120, LockProbe.class, dir.toString());
        assertThat(after.output()).contains("ACQUIRED");
        try (DatabasePersistence again = new DatabasePersistence(new VectorDB(2, Metric.COSINE), options(dir))) {
            again.load();
            assertThat(again.database().size()).isEqualTo(1);
        }
    }

    private static PersistenceOptions options(Path dir) {
        return PersistenceOptions.builder().baseDir(dir).build();
    }
}
