package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;
import java.util.Map;

/** Example 2: create, list, restore and delete snapshots; retention keeps the newest three. */
public final class SnapshotManagement {

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "snapshots");
        VectorDB db = new VectorDB(64, Metric.DOT);
        db.insertBatch(ExampleData.vectors(500, 64, 2));
        PersistenceOptions options = PersistenceOptions.builder()
                .baseDir(dir).format("msgpack").compression("lz4").maxSnapshots(3).build();

        try (DatabasePersistence persistence = new DatabasePersistence(db, options)) {
            SnapshotMetadata before = persistence.createSnapshot("before-update", Map.of("note", "nightly"));
            System.out.println("created " + before.name() + " with " + before.vectorCount() + " vectors, sha256 "
                    + before.checksum().substring(0, 12) + "...");

            db.delete("doc-0");
            db.insert(new VectorEntry("doc-new", new float[64], Map.of("title", "New")));
            System.out.println("changed the database: now " + db.size() + " vectors");

            for (int i = 1; i <= 3; i++) {
                persistence.createSnapshot("hourly-" + i);
            }
            System.out.println("snapshots (newest first), at most 3 kept:");
            for (SnapshotMetadata s : persistence.listSnapshots()) {
                System.out.println("  " + s.name() + "  " + s.vectorCount() + " vectors  " + s.fileSize() + " bytes");
            }

            SnapshotMetadata oldest = persistence.listSnapshots().get(2);
            persistence.restoreSnapshot(oldest.id());
            System.out.println("restored " + oldest.name() + ": " + db.size() + " vectors, doc-new present: " + db.contains("doc-new"));

            persistence.deleteSnapshot(oldest.id());
            System.out.println("deleted " + oldest.name() + "; " + persistence.listSnapshots().size() + " snapshots left");
        }
    }
}
