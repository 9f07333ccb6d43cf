package dev.vecpersist.it.history;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.core.SnapshotMode;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.testkit.property.Gen;
import dev.vecpersist.testkit.property.Generators;
import dev.vecpersist.testkit.property.PropertyRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random histories of saves, snapshots, deletes and prunes against a model, on every format (with a
 * random codec per case). A case is a list of {@link HistoryOp}s: inserts and updates of entries with
 * edge-value vectors and odd Unicode ids (and near twins of existing ids: other case or
 * normalisation, a trailing space or NUL) and metadata, deletes, {@code save}, {@code saveIncremental}
 * (with {@code maxDeltas} 1 to 3, so compaction happens, and batches of 1 to 1000 entries; a third
 * of the cases encrypted at rest), {@code load}, {@code createSnapshot} after
 * a clock step (forward, none, or back), {@code deleteSnapshot}, {@code restoreSnapshot},
 * {@code pruneSnapshots} with a random {@link RetentionPolicy} (dry run or not), closing and
 * reopening the manager (on the same or a new empty database, sometimes writing another format and
 * codec from then on), stepping the clock, {@code loadVersion} (a retained version, or a number no
 * retained version has: 0, negative, past the latest, or one the policy dropped),
 * {@code versionAsOf}/{@code loadAsOf} (at, a nanosecond around, or well before a retained version's
 * time) and {@code restoreVersion}. Each case also chooses, for all its managers, a history policy
 * ({@code latestOnly}, {@code keepLast(2..6)}, {@code keepFor(minutes..days)} on the stepped clock),
 * the snapshot mode ({@code FULL} or {@code DIFFERENTIAL}; {@code maxDeltas} 1 to 3 makes new base
 * pieces frequent) and whether restores may be incremental (ratio 0.5, so most small restores are).
 * The {@link HistoryModel} holds the expected current content, every commit with its number, time,
 * kind (where it can tell) and content, and the snapshots, as plain maps; it decides snapshot
 * retention with its own reading of docs/retention.md ({@link ModelRetention}) and version retention
 * with its own reading of docs/history.md ({@link ModelHistoryPolicy}), not with the library's code.
 *
 * <p>After every step: the database's content equals the model's (so after a load, a loaded version
 * or a restore it is exactly the committed, version or snapshot state); the snapshots listed are the
 * model's, newest first, with their names, timestamps, metadata and mode (so what createSnapshot's
 * retention and pruneSnapshots deleted is what the model deleted); {@code listVersions()} is the
 * model's retained versions, with their numbers, times and kinds (FULL for {@code save()} and for a
 * {@code saveIncremental()} after loading an older version, which must write; RESTORE for
 * {@code restoreVersion}); refused version requests ({@link dev.vecpersist.core.VersionNotFoundException})
 * change nothing; and {@code hasUnsavedChanges()} answers as the model says (true after a change, a
 * restore, a new manager or loading a version older than the latest; false after a save or load). At
 * the end of a case a new manager on a new database loads the committed state, restores every
 * snapshot, loads every retained version by number and by time, and restores every snapshot again,
 * twice in a row (the incremental path, when on), each compared with the model; for an encrypted
 * case, a manager without the key cannot load the directory and destroys nothing.
 *
 * <p>Seeds are logged; {@code -Dvecpersist.seed=N} replays a run and a failure prints the case in
 * full with the step that failed. {@code -Dvecpersist.history.tries=N} sets the cases per format
 * (default 30), {@code -Dvecpersist.history.steps=N} the longest case (default 60 steps). 30 to 60 s
 * for the three formats on 2 busy cores. The model reads {@code keepFor} with a stepped-back clock as
 * docs/history.md words it (see {@link ModelHistoryPolicy}).
 *
 * <p><b>Adding an operation</b> is one record in {@link HistoryOp} (its {@code apply} runs it on the
 * {@link HistorySystem} and updates or checks the model) and one weighted generator in
 * {@link HistoryOps#ALL}; a new option for whole cases is a {@link Case} component passed to
 * {@link HistorySystem.Setup}.
 */
class HistoryModelPropertyTest {

    private static final int TRIES = Integer.getInteger("vecpersist.history.tries", 30);
    private static final int MAX_STEPS = Integer.getInteger("vecpersist.history.steps", 60);

    /** The key of the encrypted cases (a third of them). */
    private static final EncryptionKeys KEYS = EncryptionKeys.of("history-2026", new byte[EncryptionKeys.KEY_BYTES]);

    @TempDir
    Path dir;

    private int cases;
    /** What the cases did, printed per format: steps by kind, and the snapshots retention deleted. */
    private final Map<String, Integer> tally = new java.util.TreeMap<>();

    /**
     * A generated case.
     *
     * @param codec     the codec the manager writes with
     * @param maxDeltas the manager's delta chain limit
     * @param batchSize entries per batch the formats read and write (small ones cross batch boundaries)
     * @param encrypted whether the directory and snapshots are encrypted at rest
     * @param start     where the clock starts
     * @param policy    the retention policy in force at the start
     * @param history   the history policy, for the whole case
     * @param snapshotMode          full or differential snapshots, for the whole case
     * @param incrementalRestore    whether restores and loads may be incremental (ratio 0.5), for the whole case
     * @param steps     the history
     */
    record Case(String codec, int maxDeltas, int batchSize, boolean encrypted, Instant start, RetentionPolicy policy,
                ModelHistoryPolicy history, SnapshotMode snapshotMode, boolean incrementalRestore, List<HistoryOp> steps) {

        HistorySystem.Setup setup() {
            return new HistorySystem.Setup(history.toLibrary(), snapshotMode, incrementalRestore ? INCREMENTAL_RATIO : 0);
        }
    }

    /** The incremental restore ratio of the cases that turn it on: high, so that most restores of small cases are incremental. */
    private static final double INCREMENTAL_RATIO = 0.5;

    static Stream<String> formats() {
        return HistoryOps.FORMATS.stream();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void historiesMatchTheModel(String format) {
        Gen<String> codec = Generators.of(HistoryOps.CODECS);
        Gen<Long> recent = Generators.longs(Instant.parse("2019-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2035-01-01T00:00:00Z").getEpochSecond());
        // and now and then a clock around the epoch (a device without a real-time clock) or at the end of year 9999
        Gen<Long> starts = random -> switch (random.nextInt(16)) {
            case 0 -> random.nextLong(-2 * 86_400, 2 * 86_400);
            case 1 -> Instant.parse("9999-12-31T00:00:00Z").getEpochSecond() + random.nextLong(-40 * 86_400, 86_400);
            default -> recent.next(random);
        };
        Gen<List<HistoryOp>> histories = HistoryOps.any().list(1, MAX_STEPS);
        Gen<Integer> batchSizes = Generators.of(List.of(1, 2, 3, 7, 1000));
        Gen<Case> caseGen = random -> new Case(codec.next(random), Generators.integers(1, 3).next(random),
                batchSizes.next(random), random.nextInt(3) == 0,
                Instant.ofEpochSecond(starts.next(random), random.nextBoolean() ? 0 : random.nextLong(1_000_000_000)),
                HistoryOps.POLICIES.next(random), HistoryOps.HISTORY_POLICIES.next(random),
                random.nextBoolean() ? SnapshotMode.FULL : SnapshotMode.DIFFERENTIAL, random.nextBoolean(),
                histories.next(random));
        PropertyRunner.check("histories match the model (" + format + ")", TRIES, caseGen, c -> run(format, c));
        System.out.println("histories (" + format + "): " + tally);
    }

    private void run(String format, Case c) {
        Path base = dir.resolve("case-" + (++cases));
        HistoryModel model = new HistoryModel(c.policy(), c.history());
        try (HistorySystem system = new HistorySystem(base, format, c.codec(), c.maxDeltas(), c.batchSize(),
                c.encrypted() ? KEYS : null, c.start(), c.policy(), c.setup())) {
            for (int i = 0; i < c.steps().size(); i++) {
                HistoryOp step = c.steps().get(i);
                try {
                    int snapshotsBefore = model.snapshotsNewestFirst().size();
                    step.apply(system, model);
                    checkAgainstModel(system, model);
                    count(step, snapshotsBefore, model);
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError("step " + (i + 1) + " of " + c.steps().size() + ", " + step.getClass().getSimpleName()
                            + ": " + e, e);
                }
            }
            if (model.steppedBackClockMattered() > 0) {
                tally.merge("keepFor commits where the clock stepped back mattered", model.steppedBackClockMattered(), Integer::sum);
            }
            tally.merge("cases " + c.history().toString().replaceAll("\\(.*", "") + "/" + c.snapshotMode()
                    + (c.incrementalRestore() ? "/incremental" : ""), 1, Integer::sum);
            try {
                checkEverythingReadsBack(system, model);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("after the last step, reading everything back: " + e, e);
            }
        }
        if (c.encrypted() && model.committed() != null) {
            // the keys really were in force: without them the committed state does not load
            try (DatabasePersistence keyless = new DatabasePersistence(new VectorDB(HistorySystem.DIMENSION, Metric.COSINE),
                    PersistenceOptions.builder().baseDir(base).build())) {
                assertThatThrownBy(keyless::load).as("loading an encrypted directory without its key")
                        .isInstanceOf(PersistenceException.class);
            }
            // ... and the manager without them destroyed nothing
            try (HistorySystem again = new HistorySystem(base, format, c.codec(), c.maxDeltas(), c.batchSize(), KEYS,
                    c.start(), c.policy(), c.setup())) {
                again.manager().load();
                assertThat(again.content()).as("the committed state, after a manager without the key").isEqualTo(model.committed());
            }
        }
    }

    private void count(HistoryOp step, int snapshotsBefore, HistoryModel model) {
        tally.merge(step.getClass().getSimpleName(), 1, Integer::sum);
        int gone = snapshotsBefore - model.snapshotsNewestFirst().size() + (step instanceof HistoryOp.CreateSnapshot ? 1 : 0);
        if (gone > 0 && !(step instanceof HistoryOp.DeleteSnapshot)) {
            tally.merge("snapshots deleted by retention", gone, Integer::sum);
        }
    }

    private static void checkAgainstModel(HistorySystem system, HistoryModel model) {
        assertThat(system.content()).as("the database's content").isEqualTo(model.current());
        assertThat(system.manager().hasUnsavedChanges()).as("hasUnsavedChanges()").isEqualTo(model.unsaved());
        List<SnapshotMetadata> listed = system.manager().listSnapshots();
        List<HistoryModel.Snapshot> expected = model.snapshotsNewestFirst();
        assertThat(listed).extracting(SnapshotMetadata::id).as("the snapshots listed, newest first")
                .containsExactlyElementsOf(expected.stream().map(HistoryModel.Snapshot::id).toList());
        for (int i = 0; i < listed.size(); i++) {
            SnapshotMetadata m = listed.get(i);
            HistoryModel.Snapshot s = expected.get(i);
            assertThat(m.name()).isEqualTo(s.name());
            assertThat(m.timestamp()).isEqualTo(s.timestamp());
            assertThat(m.metadata()).isEqualTo(s.metadata());
            assertThat(m.vectorCount()).isEqualTo(s.content().size());
            assertThat(m.isDifferential()).as("snapshot %s is differential", m.id())
                    .isEqualTo(system.setup().snapshotMode() == SnapshotMode.DIFFERENTIAL);
        }
        checkVersions(system, model);
    }

    /** listVersions() is the model's retained versions: numbers, times, kinds where the model knows them. */
    private static void checkVersions(HistorySystem system, HistoryModel model) {
        List<VersionInfo> listed = system.manager().listVersions();
        List<HistoryModel.Commit> expected = model.commits();
        assertThat(listed).extracting(VersionInfo::number).as("the versions listed (%s)", system.setup().history())
                .containsExactlyElementsOf(expected.stream().map(HistoryModel.Commit::number).toList());
        for (int i = 0; i < listed.size(); i++) {
            VersionInfo v = listed.get(i);
            HistoryModel.Commit c = expected.get(i);
            assertThat(v.time()).as("version %d's time", c.number()).isEqualTo(c.dated());
            if (c.kind() == null) {
                assertThat(v.kind()).as("version %d's kind", c.number())
                        .isIn(VersionInfo.Kind.DELTA, VersionInfo.Kind.COMPACTION, VersionInfo.Kind.FULL);
            } else {
                assertThat(v.kind()).as("version %d's kind", c.number()).isEqualTo(c.kind());
            }
            if (v.kind() != VersionInfo.Kind.DELTA) {
                assertThat(v.entries()).as("version %d's entries (a full version)", c.number()).isEqualTo(c.content().size());
                assertThat(v.deletions()).isZero();
            }
        }
    }

    /** A new manager on a new database: the committed state loads, every snapshot restores, each exactly the model's. */
    private static void checkEverythingReadsBack(HistorySystem system, HistoryModel model) {
        system.reopen(system.policy(), true);
        Map<String, VectorEntry> committed = model.committed();
        if (committed != null) {
            system.manager().load();
            assertThat(system.content()).as("the committed state").isEqualTo(committed);
        }
        for (HistoryModel.Snapshot s : model.snapshotsNewestFirst()) {
            system.manager().restoreSnapshot(s.id());
            assertThat(system.content()).as("snapshot %s", s.id()).isEqualTo(s.content());
        }
        checkVersions(system, model);
        for (HistoryModel.Commit v : model.commits()) {
            system.manager().loadVersion(v.number());
            assertThat(system.content()).as("version %d", v.number()).isEqualTo(v.content());
            HistoryModel.Commit asOf = model.asOf(v.dated());
            system.manager().loadAsOf(v.dated());
            assertThat(system.content()).as("loadAsOf(%s), version %d", v.dated(), asOf.number()).isEqualTo(asOf.content());
        }
        // every snapshot again, now that the database holds other states (incremental restores, when on, start from these)
        for (HistoryModel.Snapshot s : model.snapshotsNewestFirst()) {
            system.manager().restoreSnapshot(s.id());
            assertThat(system.content()).as("snapshot %s, restored again", s.id()).isEqualTo(s.content());
            system.manager().restoreSnapshot(s.id());
            assertThat(system.content()).as("snapshot %s, restored twice in a row", s.id()).isEqualTo(s.content());
        }
    }
}
