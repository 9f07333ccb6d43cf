package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;

/** Child process: tries to open a manager on a directory; prints ACQUIRED or REFUSED. */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) {
        VectorDB db = new VectorDB(2, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(Path.of(args[0])).build())) {
            System.out.println("ACQUIRED");
        } catch (PersistenceException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
