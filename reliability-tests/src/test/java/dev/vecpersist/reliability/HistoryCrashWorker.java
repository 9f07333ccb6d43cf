package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.HistoryPolicy;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.testkit.TestStates;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs in a child JVM that {@link HistoryCrashTest} kills with SIGKILL at a random moment. It loads
 * the latest version of the base directory, then commits incremental saves in a loop with history on
 * ({@link #HISTORY}) and a compaction every third save, so that kills land in compactions that must
 * keep the older bases. Around every save it appends to a log, fsynced: {@code begin FINGERPRINT}
 * before and {@code end VERSION FINGERPRINT} once the version is committed, and
 * {@code loaded VERSION FINGERPRINT} for the latest version it found at start (which may be the save a
 * killed child had in flight). The parent so knows what every acknowledged version holds.
 *
 * <p>Arguments: baseDir, log file, format, codec, seed.
 */
public final class HistoryCrashWorker {

    static final int DIMENSION = 16;
    static final HistoryPolicy HISTORY = HistoryPolicy.keepLast(8);

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]);
        Path log = Path.of(args[1]);
        Random random = new Random(Long.parseLong(args[4]));
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        PersistenceOptions options = PersistenceOptions.builder().baseDir(base).format(args[2]).compression(args[3])
                .history(HISTORY).maxDeltas(2).maxDeltaRatio(100).build();
        try (FileOutputStream logStream = new FileOutputStream(log.toFile(), true);
             DatabasePersistence p = new DatabasePersistence(db, options)) {
            if (Files.exists(p.manifestFile())) {
                p.load();
                append(logStream, "loaded " + latest(p) + " " + Trials.fingerprint(Trials.contents(db)));
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
                append(logStream, "begin " + fingerprint);
                try {
                    p.saveIncremental();
                } catch (PersistenceException e) {
                    append(logStream, "failed " + e.getMessage().replace('\n', ' '));
                    throw e;
                }
                append(logStream, "end " + latest(p) + " " + fingerprint);
            }
        }
    }

    private static long latest(DatabasePersistence p) {
        List<VersionInfo> versions = p.listVersions();
        return versions.get(versions.size() - 1).number();
    }

    private static void append(FileOutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.getFD().sync();
    }
}
