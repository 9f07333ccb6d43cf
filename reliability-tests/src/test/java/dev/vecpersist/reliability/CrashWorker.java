package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.testkit.TestStates;
import dev.vecpersist.core.VectorDB;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Runs in a child JVM that the crash test kills with SIGKILL at a random moment. It loads whatever
 * the base directory holds, then saves in a loop (full, incremental, snapshot) with writes in
 * between. Around every save it appends to a log, fsynced: "begin KIND FINGERPRINT" before and
 * "end KIND FINGERPRINT" after, and "end loaded FINGERPRINT" for the state it loaded at start, so the
 * parent knows which states may legitimately be on disk.
 *
 * <p>Arguments: baseDir, log file, format, codec, seed.
 */
public final class CrashWorker {

    static final int DIMENSION = 16;

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]);
        Path log = Path.of(args[1]);
        Random random = new Random(Long.parseLong(args[4]));
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        PersistenceOptions options = PersistenceOptions.builder().baseDir(base).format(args[2]).compression(args[3])
                .maxDeltas(4).maxSnapshots(3).build();
        try (FileOutputStream logStream = new FileOutputStream(log.toFile(), true);
             DatabasePersistence p = new DatabasePersistence(db, options)) {
            if (Files.exists(p.manifestFile())) {
                p.load();
                // what this child found on disk is the committed state now, whichever save of the
                // previous child it came from (its last completed one, or the one in flight)
                append(logStream, "end loaded " + Trials.fingerprint(Trials.contents(db)));
            } else {
                db.insertBatch(TestStates.entries(1500, DIMENSION, random.nextLong()));
            }
            System.out.println("ready " + db.size());
            System.out.flush();
            for (long op = 0; ; op++) {
                for (int i = 0; i < 30; i++) {
                    String id = "vec-" + random.nextInt(2000);
                    if (random.nextInt(4) == 0) {
                        db.delete(id);
                    } else {
                        db.insert(new VectorEntry(id, TestStates.randomVector(random, DIMENSION), Map.of("op", op)));
                    }
                }
                int fingerprint = Trials.fingerprint(Trials.contents(db));
                int kind = random.nextInt(10);
                String what = kind < 5 ? "incremental" : kind < 8 ? "full" : "snapshot";
                append(logStream, "begin " + what + " " + fingerprint);
                try {
                    switch (what) {
                        case "incremental" -> p.saveIncremental();
                        case "full" -> p.save();
                        default -> p.createSnapshot("crash-" + op, Map.of("fingerprint", (long) fingerprint));
                    }
                } catch (PersistenceException e) {
                    append(logStream, "failed " + e.getMessage().replace('\n', ' '));
                    throw e;
                }
                append(logStream, "end " + what + " " + fingerprint);
            }
        }
    }

    private static void append(FileOutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.getFD().sync();
    }
}
