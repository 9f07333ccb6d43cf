package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.RetentionDecision;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.Fingerprints;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs in a child JVM that {@link PruneCrashTest} kills with SIGKILL, mostly while it prunes. In
 * rounds: it takes 4 to 16 snapshots of a changing database, dated by a clock stepped forward by
 * 1 to 40 hours (and now and then back by a few hours: the store's order, not the clock, says which
 * is newest), under a policy that keeps them all or, one round in three, under the calendar policy
 * {@link #POLICY} (so {@code createSnapshot} prunes too); then it prunes with {@link #POLICY}
 * ({@code pruneSnapshots(false)}), which deletes most of the round's snapshots; its deletes are
 * slowed down ({@link SlowDeletes}) so that a kill can land between any two of them.
 *
 * <p>Its log, appended and fsynced line by line, tells the parent what was acknowledged:
 * {@code begin snapshot FINGERPRINT MODE} before a snapshot and {@code snap ID FINGERPRINT TIMESTAMP}
 * once {@code createSnapshot} returned; {@code begin prune} before a prune and
 * {@code end prune MICROS ID,ID,...} (or {@code -}) after. On standard output it prints
 * {@code ready} once started and {@code pruning N} just before each prune (N: how many snapshots a
 * dry run says it will delete), for the parent to time its kill.
 *
 * <p>Arguments: baseDir, log file, format, codec, seed.
 */
public final class PruneCrashWorker {

    static final int DIMENSION = 8;
    /** The policy the worker prunes with, and the parent checks against: calendar rules, in a zone with DST. */
    static final RetentionPolicy POLICY = RetentionPolicy.builder().keepLast(2).keepDaily(4).keepWeekly(3)
            .keepMonthly(3).keepYearly(2).zone(ZoneId.of("Europe/Berlin")).build();
    /** How much longer each file delete takes while pruning: the kill's target is wider than a fast disk makes it. */
    static final long DELETE_DELAY_MICROS = 3_000;
    /** Keeps every snapshot: the rounds that only create. */
    static final RetentionPolicy KEEP_ALL = RetentionPolicy.keepLast(1_000_000);
    /** When the first child's clock starts: the rounds cross the March DST change and a year end. */
    static final Instant FIRST_START = Instant.parse("2026-03-20T22:30:00Z");

    private PruneCrashWorker() {
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]);
        Path log = Path.of(args[1]);
        String format = args[2];
        String codec = args[3];
        Random random = new Random(Long.parseLong(args[4]));
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        db.insertBatch(TestStates.entries(40, DIMENSION, random.nextLong()));
        MutableClock clock = new MutableClock(startAfterExistingSnapshots(db, base));
        try (FileOutputStream out = new FileOutputStream(log.toFile(), true)) {
            System.out.println("ready");
            System.out.flush();
            for (long round = 0; ; round++) {
                boolean prunesOnCreate = random.nextInt(3) == 0;
                try (DatabasePersistence p = new DatabasePersistence(db,
                        options(base, format, codec, clock, prunesOnCreate ? POLICY : KEEP_ALL))) {
                    int snapshots = 4 + random.nextInt(13);
                    for (int i = 0; i < snapshots; i++) {
                        change(db, random, round);
                        clock.advance(random.nextInt(15) == 0 ? Duration.ofMinutes(-30 - random.nextInt(600))
                                : Duration.ofMinutes(60 + random.nextInt(40 * 60)));
                        String fingerprint = Fingerprints.of(db);
                        append(out, "begin snapshot " + fingerprint + (prunesOnCreate ? " policy" : " keep-all"));
                        SnapshotMetadata m = p.createSnapshot("round-" + round + "-" + i, Map.of("round", round));
                        append(out, "snap " + m.id() + " " + fingerprint + " " + m.timestamp());
                    }
                }
                try (DatabasePersistence p = new DatabasePersistence(db, options(base, format, codec, clock, POLICY)
                        .toBuilder().fileOps(new SlowDeletes(DELETE_DELAY_MICROS)).build())) {
                    int planned = p.pruneSnapshots(true).deletedIds().size();
                    append(out, "begin prune");
                    System.out.println("pruning " + planned);
                    System.out.flush();
                    long started = System.nanoTime();
                    RetentionDecision d = p.pruneSnapshots(false);
                    long micros = (System.nanoTime() - started) / 1000;
                    List<String> deleted = d.deletedIds();
                    append(out, "end prune " + micros + " " + (deleted.isEmpty() ? "-" : String.join(",", deleted)));
                }
            }
        }
    }

    static PersistenceOptions options(Path base, String format, String codec, java.time.Clock clock,
                                      RetentionPolicy policy) {
        return PersistenceOptions.builder().baseDir(base).format(format).compression(codec).clock(clock)
                .retention(policy).build();
    }

    /** A day after the latest snapshot a previous child left, so that the calendar keeps moving forward. */
    private static Instant startAfterExistingSnapshots(VectorDB db, Path base) {
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            return p.listSnapshots().stream().map(SnapshotMetadata::timestamp).max(Comparator.naturalOrder())
                    .map(t -> t.plus(Duration.ofDays(1))).orElse(FIRST_START);
        }
    }

    /** A few inserts, updates and deletes, so that every snapshot has its own content. */
    private static void change(VectorDB db, Random random, long round) {
        for (int i = 0; i < 3 + random.nextInt(6); i++) {
            String id = "vec-" + random.nextInt(80);
            if (random.nextInt(4) == 0) {
                db.delete(id);
            } else {
                db.insert(new VectorEntry(id, TestStates.randomVector(random, DIMENSION), Map.of("round", round)));
            }
        }
    }

    private static void append(FileOutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.getFD().sync();
    }
}
