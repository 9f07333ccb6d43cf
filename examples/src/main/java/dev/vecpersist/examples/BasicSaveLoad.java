package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.SearchResult;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Example 1: fill a database, save it, load it into a fresh one, and search both. */
public final class BasicSaveLoad {

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "basic-save-load");

        VectorDB db = new VectorDB(128, Metric.COSINE);
        db.insertBatch(ExampleData.vectors(1000, 128, 1));
        PersistenceOptions options = PersistenceOptions.builder()
                .baseDir(dir).format("json").compression("gzip").build();

        try (DatabasePersistence persistence = new DatabasePersistence(db, options)) {
            Path file = persistence.save();
            System.out.println("saved " + db.size() + " vectors to " + file.getFileName() + " (" + Files.size(file) + " bytes)");
        }

        VectorDB restored = new VectorDB(128, Metric.COSINE);
        try (DatabasePersistence persistence = new DatabasePersistence(restored, options)) {
            persistence.load();   // the latest committed state of dir; format and codec come from the file
        }
        System.out.println("loaded " + restored.size() + " vectors");

        float[] query = db.get("doc-42").orElseThrow().vector();
        List<SearchResult> before = db.search(query, 3);
        List<SearchResult> after = restored.search(query, 3);
        System.out.println("top 3 before: " + before);
        System.out.println("top 3 after:  " + after);
        System.out.println(before.equals(after) ? "search results identical" : "search results DIFFER");
    }
}
