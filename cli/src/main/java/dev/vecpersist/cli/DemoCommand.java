package dev.vecpersist.cli;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.ExportOptions;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.ImportOptions;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code vecpersist demo}: builds a database on the embedded VectorDB, saves and loads it in every
 * format and codec on the classpath, takes and restores a snapshot, makes an incremental save, and
 * prints what it measured. Every load is checked against the original, entry by entry.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Save and load a generated database in every format and codec, snapshot it, save incrementally.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--vectors", defaultValue = "10000", description = "Number of vectors (default ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--dimension", defaultValue = "384", description = "Components per vector (default ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--dir", description = "Where to write (default: a temporary directory, removed afterwards).")
    Path dir;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    /** Every long step reports here: bars on a terminal, plain lines otherwise. */
    private ProgressDisplay progress;

    @Override
    public Integer call() throws IOException {
        if (vectors < 1 || dimension < 1) {
            throw new VecPersistCli.CliException("--vectors and --dimension must be positive");
        }
        out = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Databases.tempDir("vecpersist-demo");
        try (ProgressDisplay display = ProgressDisplay.on(out)) {
            progress = display;
            return run(work);
        } finally {
            if (dir == null) {
                Databases.deleteTree(work);
            }
        }
    }

    private int run(Path work) throws IOException {
        long t0 = System.nanoTime();
        VectorDB db = Databases.random(vectors, dimension, 42);
        out.printf("built a VectorDB of %,d vectors x %d dimensions (cosine) in %d ms; about %s in memory%n",
                db.size(), dimension, ms(t0), Formatting.humanSize(Formatting.estimateMemory(vectors, dimension)));
        out.printf("writing to %s%n%n", work);
        boolean allVerified = true;
        Plugins plugins = Plugins.discover();
        List<String> codecs = new ArrayList<>();
        codecs.add(Plugins.NO_COMPRESSION);
        plugins.codecs().forEach(c -> codecs.add(c.name()));
        out.printf("%-8s %-7s %12s %10s %10s  %s%n", "FORMAT", "CODEC", "SIZE", "SAVE ms", "LOAD ms", "VERIFIED");
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(work.resolve("export")).build())) {
            for (StateFormat format : plugins.formats()) {
                for (String codec : codecs) {
                    CompressionCodec c = plugins.codec(codec);
                    Path file = work.resolve("demo." + format.fileExtension() + (c == null ? "" : "." + c.fileExtension()));
                    long save = System.nanoTime();
                    p.export(ExportOptions.to(file).format(format.name()).compression(codec).progress(progress).build());
                    long saveMs = ms(save);
                    VectorDB loaded = new VectorDB(dimension, db.metric());
                    long load = System.nanoTime();
                    try (DatabasePersistence q = new DatabasePersistence(loaded,
                            PersistenceOptions.builder().baseDir(work.resolve("import")).build())) {
                        q.importFrom(ImportOptions.from(file).progress(progress).build());
                    }
                    long loadMs = ms(load);
                    boolean same = Databases.sameContent(db, loaded);
                    allVerified &= same;
                    out.printf("%-8s %-7s %12s %10d %10d  %s%n", format.name(), codec, Formatting.humanSize(Files.size(file)),
                            saveMs, loadMs, same ? "yes" : "NO: content differs");
                    Files.delete(file);
                }
            }
        }
        out.println();
        allVerified &= snapshotsAndIncremental(db, work.resolve("base"));
        out.printf("%ndemo finished in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9,
                allVerified ? "every load matched the original" : "SOME LOADS DID NOT MATCH");
        return allVerified ? 0 : VecPersistCli.FAILED;
    }

    private boolean snapshotsAndIncremental(VectorDB db, Path base) throws IOException {
        boolean ok = true;
        PersistenceOptions opts = PersistenceOptions.builder().baseDir(base).format("msgpack").build();
        try (DatabasePersistence p = new DatabasePersistence(db, opts)) {
            VectorDB original = copy(db);
            long t = System.nanoTime();
            SnapshotMetadata s = p.createSnapshot("demo", Map.of("note", "made by vecpersist demo"), progress);
            out.printf("snapshot    %s  %s (%s/%s) in %d ms%n", s.id(), Formatting.humanSize(s.fileSize()), s.format(),
                    s.compression(), ms(t));
            Random random = new Random(7);
            db.insert(Databases.entry(random, "after-snapshot", dimension, -1));
            db.delete("vec-0");
            t = System.nanoTime();
            p.restoreSnapshot(s.id(), true, progress);
            boolean restored = Databases.sameContent(db, original);
            ok &= restored;
            out.printf("restore     %d vectors in %d ms, SHA-256 verified, %s%n", db.size(), ms(t),
                    restored ? "identical to the snapshot" : "DIFFERENT from the snapshot");

            t = System.nanoTime();
            Path full = p.save(progress);
            long fullMs = ms(t);
            out.printf("full save   %s  %s in %d ms%n", full.getFileName(), Formatting.humanSize(Files.size(full)), fullMs);
            int changes = Math.max(3, vectors / 100);
            for (int i = 0; i < changes; i++) {
                switch (i % 3) {
                    case 0 -> db.insert(Databases.entry(random, "new-" + i, dimension, vectors + i));
                    case 1 -> db.insert(Databases.entry(random, "vec-" + random.nextInt(vectors), dimension, i));
                    default -> db.delete("vec-" + random.nextInt(vectors));
                }
            }
            t = System.nanoTime();
            Optional<Path> delta = p.saveIncremental(progress);
            long deltaMs = ms(t);
            if (delta.isPresent()) {
                out.printf("incremental %s  %s in %d ms after %d changes (1%%): %.1f%% of the full save's time%n",
                        delta.get().getFileName(), Formatting.humanSize(Files.size(delta.get())), deltaMs, changes,
                        fullMs == 0 ? 0.0 : 100.0 * deltaMs / fullMs);
            }
            VectorDB reloaded = new VectorDB(dimension, db.metric());
            p.close();
            try (DatabasePersistence q = new DatabasePersistence(reloaded, opts)) {
                t = System.nanoTime();
                q.load(progress);
                boolean same = Databases.sameContent(db, reloaded);
                ok &= same;
                out.printf("load        base + %d delta(s): %d vectors in %d ms, %s%n", delta.isPresent() ? 1 : 0,
                        reloaded.size(), ms(t), same ? "identical to the database" : "DIFFERENT from the database");
            }
        }
        return ok;
    }

    private static VectorDB copy(VectorDB db) {
        VectorDB copy = new VectorDB(db.dimension(), db.metric());
        List<VectorEntry> all = new ArrayList<>();
        db.snapshot().forEach(all::add);
        copy.insertBatch(all);
        return copy;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
