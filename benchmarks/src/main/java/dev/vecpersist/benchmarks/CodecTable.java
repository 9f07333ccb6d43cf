package dev.vecpersist.benchmarks;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the README's format x codec table: size, ratio to the raw float32 bytes, and the best of
 * three durable saves and loads, for N x 384 (default 10,000).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.vecpersist.benchmarks.CodecTable 10000</pre>
 */
public final class CodecTable {

    private CodecTable() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Data.tempDir("codec-table");
        VectorDB db = Data.database(n);
        long raw = (long) n * Data.DIMENSION * Float.BYTES;
        List<String> codecs = new ArrayList<>(List.of(Plugins.NO_COMPRESSION));
        Plugins.discover().codecs().stream().map(CompressionCodec::name).forEach(codecs::add);
        System.out.printf("| format | codec | size | size / raw float32 | save ms | load ms |%n|---|---|---|---|---|---|%n");
        try {
            for (StateFormat format : Plugins.discover().formats()) {
                for (String codec : codecs) {
                    long bestSave = Long.MAX_VALUE;
                    long bestLoad = Long.MAX_VALUE;
                    long size = 0;
                    for (int round = 0; round < 3; round++) {
                        Path file = dir.resolve("state-" + round);
                        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder()
                                .baseDir(dir.resolve("save")).format(format.name()).compression(codec).build())) {
                            long t0 = System.nanoTime();
                            p.save(file);
                            bestSave = Math.min(bestSave, System.nanoTime() - t0);
                        }
                        size = Files.size(file);
                        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
                        try (DatabasePersistence p = new DatabasePersistence(fresh,
                                PersistenceOptions.builder().baseDir(dir.resolve("load")).build())) {
                            long t0 = System.nanoTime();
                            p.load(file);
                            bestLoad = Math.min(bestLoad, System.nanoTime() - t0);
                        }
                        Files.delete(file);
                    }
                    System.out.printf("| %s | %s | %s | %.2f | %d | %d |%n", format.name(), codec, Formatting.humanSize(size),
                            (double) size / raw, bestSave / 1_000_000, bestLoad / 1_000_000);
                }
            }
        } finally {
            Data.delete(dir);
        }
    }
}
