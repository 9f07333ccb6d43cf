package dev.vecpersist.cli;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child process of {@link SnapshotsRaceTest}: owns a base directory and creates snapshots until a
 * line (or the end) arrives on stdin; prints {@code CREATED <id>} or {@code FAILED <message>} for each.
 */
public final class SnapshottingProcess {

    private SnapshottingProcess() {
    }

    public static void main(String[] args) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                // stdin gone: stop as well
            }
            stop.set(true);
        });
        watcher.setDaemon(true);
        watcher.start();
        VectorDB db = Databases.random(500, 16, 3);
        PersistenceOptions options = PersistenceOptions.builder().baseDir(Path.of(args[0])).format("json")
                .compression("none").maxSnapshots(100_000).build();
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            System.out.println("READY");
            for (int i = 0; !stop.get(); i++) {
                try {
                    SnapshotMetadata m = p.createSnapshot("s" + i);
                    System.out.println("CREATED " + m.id());
                } catch (RuntimeException e) {
                    System.out.println("FAILED " + e);
                }
            }
        }
        System.out.println("DONE");
    }
}
