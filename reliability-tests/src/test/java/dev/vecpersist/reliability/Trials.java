package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared helpers: trial counts, loading with a time limit, content fingerprints. */
final class Trials {

    /** Multiplies every trial count ({@code -Dreliability.scale}, 10 in the reliability-long profile). */
    static final int SCALE = Integer.getInteger("reliability.scale", 1);

    private static final ExecutorService LOADER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reliability-loader");
        t.setDaemon(true);
        return t;
    });

    private Trials() {
    }

    static int scaled(int base) {
        return base * SCALE;
    }

    /** The outcome of one load. */
    record Outcome(List<VectorEntry> loaded, Throwable failure) {
    }

    /** Loads a file into a fresh database, failing the test if it takes more than 10 s. */
    static Outcome loadWithin10s(Path file, int dimension, Metric metric, Path scratch) {
        Future<List<VectorEntry>> f = LOADER.submit(() -> {
            VectorDB db = new VectorDB(dimension, metric);
            try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(scratch).build())) {
                p.load(file);
            }
            return contents(db);
        });
        try {
            return new Outcome(f.get(10, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("loading " + file + " took more than 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<VectorEntry> contents(VectorDB db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    /**
     * A fingerprint of a database's content, the same in every JVM. Order-independent: replaying
     * deltas may place a deleted-then-reinserted id where it used to be.
     */
    static int fingerprint(List<VectorEntry> entries) {
        List<VectorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparing(VectorEntry::id));
        return sorted.hashCode();
    }

    static boolean isPersistenceFailure(Throwable t) {
        return t instanceof PersistenceException;
    }
}
