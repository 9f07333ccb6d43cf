package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Example 2: create, list, restore and delete snapshots; retention keeps the newest three. */
public final class SnapshotManagement {

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "snapshots");
        VectorDB db = new VectorDB(64, Metric.DOT);
        db.insertBatch(ExampleData.vectors(500, 64, 2));
        PersistenceOptions options = PersistenceOptions.builder()
                .baseDir(dir).format("msgpack").compression("lz4")
                .maxSnapshots(3)                                  // creating a 4th deletes the oldest
                .build();

        try (DatabasePersistence persistence = new DatabasePersistence(db, options)) {
            SnapshotMetadata before = persistence.createSnapshot("before-update", Map.of("note", "nightly"));
            System.out.println("created " + before.name() + " with " + before.vectorCount() + " vectors, sha256 "
                    + before.checksum().substring(0, 12) + "...");

            db.delete("doc-0");
            db.insert(new VectorEntry("doc-new", new float[64], Map.of("title", "New")));
            db.insert(new VectorEntry("doc-newer", new float[64], Map.of("title", "Newer")));
            System.out.println("changed the database: now " + db.size() + " vectors");

            persistence.restoreSnapshot(before.id());             // verifies the snapshot's SHA-256 first
            System.out.println("restored " + before.name() + ": " + db.size() + " vectors, doc-0 back: "
                    + db.contains("doc-0") + ", doc-new present: " + db.contains("doc-new"));

            for (int i = 1; i <= 3; i++) {
                db.insert(new VectorEntry("hourly-doc-" + i, new float[64], Map.of()));
                persistence.createSnapshot("hourly-" + i);
                Thread.sleep(2);   // an hour in real life; snapshots are listed by their millisecond timestamps
            }
            List<SnapshotMetadata> snapshots = persistence.listSnapshots();
            System.out.println(snapshots.size() + " snapshots (newest first), at most 3 kept:");
            for (SnapshotMetadata s : snapshots) {
                System.out.println("  " + s.name() + "  " + s.vectorCount() + " vectors  " + s.fileSize() + " bytes  "
                        + s.format() + "+" + s.compression());
            }
            boolean pruned = snapshots.stream().noneMatch(s -> s.id().equals(before.id()));
            System.out.println("retention removed " + before.name() + ": " + pruned);

            SnapshotMetadata oldest = snapshots.get(snapshots.size() - 1);
            persistence.deleteSnapshot(oldest.id());
            System.out.println("deleted " + oldest.name() + "; " + persistence.listSnapshots().size() + " snapshots left");
        }
    }
}
