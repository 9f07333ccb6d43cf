package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.Progress;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;

/** Example 5: a live percentage line while a large database is saved and loaded. */
public final class ProgressTracking {

    /** Rewrites one console line with the latest percentage. */
    static final class PercentageLine implements ProgressListener {
        private long reports;

        @Override
        public void onProgress(Progress p) {
            reports++;
            System.out.printf("\r%-6s %5.1f%%  %,d/%,d entries", p.operation(), p.percentage(), p.current(), p.total());
            if (p.percentage() >= 100) {
                System.out.printf("  (%d progress reports)%n", reports);
                reports = 0;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "progress");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        VectorDB db = new VectorDB(256, Metric.COSINE);
        db.insertBatch(ExampleData.vectors(count, 256, 6));
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("msgpack").compression("gzip")
                .batchSize(500).build();      // a report at least every 500 entries

        try (DatabasePersistence persistence = new DatabasePersistence(db, options)) {
            persistence.save(new PercentageLine());
            VectorDB fresh = new VectorDB(256, Metric.COSINE);
            try (DatabasePersistence loader = new DatabasePersistence(fresh,
                    PersistenceOptions.builder().baseDir(dir.resolve("load")).batchSize(500).build())) {
                loader.load(persistence.committedFiles().get(0), new PercentageLine());
            }
            System.out.println("loaded " + fresh.size() + " vectors");
        }
    }
}
