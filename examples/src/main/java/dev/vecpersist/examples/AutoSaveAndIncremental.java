package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Example 4: incremental saves write only what changed; auto-save runs them in the background. */
public final class AutoSaveAndIncremental {

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "incremental");
        VectorDB db = new VectorDB(64, Metric.COSINE);
        db.insertBatch(ExampleData.vectors(2000, 64, 5));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("msgpack")
                .maxDeltas(3)                                   // the 4th incremental save compacts
                .autoSaveInterval(Duration.ofMillis(200)).build();

        try (DatabasePersistence persistence = new DatabasePersistence(db, options)) {
            Path base = persistence.saveIncremental().orElseThrow();   // the first one is a full save
            System.out.println("base:  " + base.getFileName() + " " + Files.size(base) + " bytes");

            for (int round = 1; round <= 4; round++) {
                db.insert(new VectorEntry("doc-" + round, new float[64], Map.of("title", "updated in round " + round)));
                db.delete("doc-" + (100 + round));
                Path saved = persistence.saveIncremental().orElseThrow();
                System.out.println("round " + round + ": " + saved.getFileName() + " " + Files.size(saved)
                        + " bytes, committed files: " + persistence.committedFiles().size());
            }
            Optional<Path> none = persistence.saveIncremental();
            System.out.println("nothing changed -> " + none.map(Path::toString).orElse("no file written"));

            persistence.startAutoSave();
            db.insert(new VectorEntry("auto-1", new float[64], Map.of()));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (persistence.hasUnsavedChanges() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.println(persistence.hasUnsavedChanges() ? "auto-save did not run within 10 s"
                    : "auto-save wrote the change; committed files: " + persistence.committedFiles().size());
            db.insert(new VectorEntry("at-close", new float[64], Map.of()));
        }   // close(): stops auto-save and saves the last change

        VectorDB reloaded = new VectorDB(64, Metric.COSINE);
        try (DatabasePersistence persistence = new DatabasePersistence(reloaded,
                PersistenceOptions.builder().baseDir(dir).build())) {
            persistence.load();                                 // the base, then each delta in order
        }
        System.out.println("reloaded " + reloaded.size() + " vectors; at-close present: " + reloaded.contains("at-close"));
    }
}
