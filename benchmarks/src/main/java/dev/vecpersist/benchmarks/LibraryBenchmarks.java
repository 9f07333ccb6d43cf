package dev.vecpersist.benchmarks;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The library's operations as users call them, one full operation per measurement
 * (single-shot: a 100K save takes seconds). Every save is complete and durable: temporary file,
 * fsync, atomic rename, directory fsync.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LibraryBenchmarks {

    /** Save and load of every format, uncompressed. */
    @State(Scope.Benchmark)
    public static class Formats {
        @Param({"1000", "10000", "100000"})
        public int n;

        @Param({"json", "msgpack", "sqlite"})
        public String format;

        VectorDB db;
        Path dir;
        DatabasePersistence saver;
        Path saved;

        @Setup(Level.Trial)
        public void setUp() {
            db = Data.database(n);
            dir = Data.tempDir("bench-formats");
            saver = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("save")).format(format).build());
            saved = saver.save(dir.resolve("saved." + format));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            saver.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public Path save(Formats s) {
        return s.saver.save(s.dir.resolve("bench." + s.format));
    }

    @Benchmark
    public VectorDB load(Formats s) {
        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, PersistenceOptions.builder().baseDir(s.dir.resolve("load")).build())) {
            p.load(s.saved);
        }
        return fresh;
    }

    /**
     * Saves and loads through every codec at its default level, and each stage alone over the same
     * bytes: compressing (or decompressing) the uncompressed file, without serialising or parsing.
     */
    @State(Scope.Benchmark)
    public static class Codecs {
        @Param({"1000", "10000", "100000"})
        public int n;

        @Param({"json+gzip", "json+brotli", "json+lz4", "msgpack+gzip", "msgpack+brotli", "msgpack+lz4"})
        public String combination;

        VectorDB db;
        Path dir;
        DatabasePersistence saver;
        CompressionCodec codec;
        Path saved;
        Path plain;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            String[] parts = combination.split("\\+");
            db = Data.database(n);
            dir = Data.tempDir("bench-codecs");
            codec = Plugins.discover().codec(parts[1]);
            saver = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("save"))
                    .format(parts[0]).compression(parts[1]).build());
            saved = saver.save(dir.resolve("saved"));
            if (params.getBenchmark().endsWith(".compressOnly")) {
                try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder()
                        .baseDir(dir.resolve("plain")).format(parts[0]).build())) {
                    plain = p.save(dir.resolve("plain." + parts[0]));
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            saver.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public Path saveCompressed(Codecs s) {
        return s.saver.save(s.dir.resolve("bench"));
    }

    @Benchmark
    public VectorDB loadCompressed(Codecs s) {
        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, PersistenceOptions.builder().baseDir(s.dir.resolve("load")).build())) {
            p.load(s.saved);
        }
        return fresh;
    }

    /** Compressing alone: the uncompressed state file through the codec into a file (no fsync). */
    @Benchmark
    public Path compressOnly(Codecs s) throws IOException {
        Path out = s.dir.resolve("compressed-only");
        try (InputStream in = Files.newInputStream(s.plain);
             OutputStream compressed = s.codec.compress(Files.newOutputStream(out), s.codec.defaultLevel())) {
            in.transferTo(compressed);
        }
        return out;
    }

    /** Decompressing alone: the compressed state file through the codec, bytes discarded. */
    @Benchmark
    public long decompressOnly(Codecs s) throws IOException {
        try (InputStream in = s.codec.decompress(new BufferedInputStream(Files.newInputStream(s.saved), 1 << 16))) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Snapshots in msgpack, the default store (a directory). */
    @State(Scope.Benchmark)
    public static class Snapshots {
        @Param({"1000", "10000", "100000"})
        public int n;

        VectorDB db;
        Path dir;
        DatabasePersistence manager;
        SnapshotMetadata existing;

        @Setup(Level.Trial)
        public void setUp() {
            db = Data.database(n);
            dir = Data.tempDir("bench-snapshots");
            manager = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format("msgpack").maxSnapshots(3).build());
            existing = manager.createSnapshot("restore-me");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            manager.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public SnapshotMetadata createSnapshot(Snapshots s) {
        SnapshotMetadata created = s.manager.createSnapshot("bench");
        s.manager.deleteSnapshot(created.id());
        return created;
    }

    @Benchmark
    public VectorDB restoreSnapshot(Snapshots s) {
        s.manager.restoreSnapshot(s.existing.id());
        return s.db;
    }

    /** An incremental save after 1% of the entries changed (a third each inserted, updated, deleted). */
    @State(Scope.Benchmark)
    public static class Incremental {
        @Param({"1000", "10000", "100000"})
        public int n;

        @Param({"json", "msgpack", "sqlite"})
        public String format;

        VectorDB db;
        Path dir;
        DatabasePersistence manager;
        Random random;
        long round;

        @Setup(Level.Trial)
        public void setUp() {
            db = Data.database(n);
            dir = Data.tempDir("bench-incremental");
            // no compaction during the measurement: every save here is a delta
            manager = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).format(format)
                    .maxDeltas(1_000_000).maxDeltaRatio(1e9).build());
            manager.save();
            random = new Random(7);
        }

        @Setup(Level.Invocation)
        public void changeOnePercent() {
            int changes = Math.max(3, n / 100);
            round++;
            for (int i = 0; i < changes; i++) {
                switch (i % 3) {
                    case 0 -> db.insert(Data.entry(random, "new-" + round + "-" + i, i));
                    case 1 -> db.insert(Data.entry(random, "vec-" + random.nextInt(n), i));
                    default -> db.delete("vec-" + random.nextInt(n));
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            manager.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public Optional<Path> saveIncremental(Incremental s) {
        return s.manager.saveIncremental();
    }

}
