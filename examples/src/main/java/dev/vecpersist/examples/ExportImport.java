package dev.vecpersist.examples;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.ExportOptions;
import dev.vecpersist.core.ImportOptions;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Files;
import java.nio.file.Path;

/** Example 3: export to every format and codec, import each back (replace), and merge one into another database. */
public final class ExportImport {

    public static void main(String[] args) throws Exception {
        Path dir = ExampleData.workDir(args, "export-import");
        VectorDB db = new VectorDB(32, Metric.EUCLIDEAN);
        db.insertBatch(ExampleData.vectors(300, 32, 3));

        try (DatabasePersistence persistence = new DatabasePersistence(db,
                PersistenceOptions.builder().baseDir(dir.resolve("source")).build())) {
            for (String format : new String[] {"json", "msgpack", "sqlite"}) {
                for (String codec : new String[] {"none", "gzip", "lz4", "brotli"}) {
                    Path file = dir.resolve("export-" + format + "-" + codec);
                    persistence.export(ExportOptions.to(file).format(format).compression(codec).build());

                    VectorDB copy = new VectorDB(32, Metric.EUCLIDEAN);
                    try (DatabasePersistence importer = new DatabasePersistence(copy,
                            PersistenceOptions.builder().baseDir(dir.resolve("import-" + format + "-" + codec)).build())) {
                        importer.importFrom(ImportOptions.from(file).build());   // format and codec detected
                    }
                    System.out.printf("%-7s + %-6s %8d bytes -> imported %d vectors%n", format, codec, Files.size(file), copy.size());
                }
            }
        }

        VectorDB other = new VectorDB(32, Metric.EUCLIDEAN);
        other.insertBatch(ExampleData.vectors(400, 32, 4).subList(300, 400));   // ids doc-300 .. doc-399
        try (DatabasePersistence importer = new DatabasePersistence(other,
                PersistenceOptions.builder().baseDir(dir.resolve("merge")).build())) {
            importer.importFrom(ImportOptions.from(dir.resolve("export-msgpack-lz4")).mode(ImportOptions.Mode.MERGE).build());
        }
        System.out.println("merged 300 exported vectors into a database of 100: " + other.size() + " vectors");
    }
}
