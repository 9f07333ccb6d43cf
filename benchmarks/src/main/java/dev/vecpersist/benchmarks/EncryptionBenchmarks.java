package dev.vecpersist.benchmarks;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.crypto.EncryptionKeys;
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

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The cost of encryption at rest: msgpack save and load with and without AES-256-GCM streaming
 * encryption, measured in the same run (the report shows encrypted / unencrypted).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EncryptionBenchmarks {

    /** A database saved once, with or without encryption. */
    @State(Scope.Benchmark)
    public static class Encrypted {
        @Param({"100000"})
        public int n;

        @Param({"none", "aes256gcm"})
        public String encryption;

        VectorDB db;
        Path dir;
        PersistenceOptions options;
        DatabasePersistence saver;
        Path saved;

        @Setup(Level.Trial)
        public void setUp() {
            db = Data.database(n);
            dir = Data.tempDir("bench-encryption");
            byte[] key = new byte[EncryptionKeys.KEY_BYTES];
            new Random(1).nextBytes(key);
            EncryptionKeys keys = encryption.equals("none") ? null : EncryptionKeys.of("bench", key);
            options = PersistenceOptions.builder().baseDir(dir.resolve("save")).format("msgpack").encryption(keys).build();
            saver = new DatabasePersistence(db, options);
            saved = saver.save(dir.resolve("saved.msgpack"));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            saver.close();
            Data.delete(dir);
        }
    }

    @Benchmark
    public Path encryptedSave(Encrypted s) {
        return s.saver.save(s.dir.resolve("bench.msgpack"));
    }

    @Benchmark
    public VectorDB encryptedLoad(Encrypted s) {
        VectorDB fresh = new VectorDB(Data.DIMENSION, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh, s.options.toBuilder().baseDir(s.dir.resolve("load")).build())) {
            p.load(s.saved);
        }
        return fresh;
    }
}
