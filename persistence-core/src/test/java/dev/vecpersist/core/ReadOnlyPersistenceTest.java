package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.DirectoryChangingException;
import dev.vecpersist.api.EntrySnapshot;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadOnlyPersistenceTest {

    private static final int DIM = 8;

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip");
    }

    private DatabasePersistence writer(VectorDB db, int maxDeltas) {
        return new DatabasePersistence(db, opts().maxDeltas(maxDeltas).maxDeltaRatio(100).build());
    }

    /** What a fresh full load of the directory gives (through a second read-only manager). */
    private List<VectorEntry> committedContent() {
        VectorDB fresh = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence p = DatabasePersistence.openReadOnly(fresh, opts().build())) {
            p.load();
        }
        return contents(fresh);
    }

    @Test
    void loadsWhatAWriterCommittedWhileTheWriterHoldsTheDirectory() {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(500, DIM, 1));
        try (DatabasePersistence w = writer(source, 5)) {
            w.saveIncremental();
            source.delete("vec-3");
            source.insert(new VectorEntry("new-1", new float[DIM], Map.of("k", 1L)));
            w.saveIncremental();

            VectorDB replica = new VectorDB(DIM, Metric.COSINE);
            try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
                assertThat(r.isReadOnly()).isTrue();
                assertThat(r.version()).isEmpty();
                r.load();
                assertSameContent(replica, contents(source));
                assertThat(r.version()).contains(new CommitVersion(1, 1));
                assertThat(r.version()).isEqualTo(w.version());
                assertThat(r.committedFiles()).isEqualTo(w.committedFiles());
            }
        }
    }

    @Test
    void takesNoLockSoAWriterOpensBeforeDuringAndAfter() {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, DIM, 2));
        try (DatabasePersistence w = writer(db, 5)) {
            w.save();
        }
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE), opts().build());
             DatabasePersistence r2 = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE), opts().build())) {
            r.load();
            r2.load();
            try (DatabasePersistence w = writer(db, 5)) { // the lock is free while replicas are open
                db.insert(new VectorEntry("more", new float[DIM], Map.of()));
                w.save();
            }
            assertThat(r.refresh()).isPresent();
        }
        try (DatabasePersistence w = writer(db, 5)) {
            assertThat(w.version()).contains(new CommitVersion(2, 0));
        }
    }

    @Test
    void savesSnapshotChangesAndForeignLoadsAreRefused() throws IOException {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, DIM, 3));
        try (DatabasePersistence w = writer(db, 5)) {
            w.save();
            w.createSnapshot("s");
        }
        Path other = dir.resolveSibling(dir.getFileName() + "-export.json");
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE),
                opts().autoSaveInterval(Duration.ofSeconds(1)).build())) {
            r.load();
            String snapshot = r.listSnapshots().get(0).id();
            List<Runnable> refused = List.of(r::save, () -> r.save(other), r::saveIncremental,
                    () -> r.createSnapshot("x"), () -> r.restoreSnapshot(snapshot), () -> r.deleteSnapshot(snapshot),
                    () -> r.load(other), () -> r.importFrom(ImportOptions.from(other).build()), r::startAutoSave);
            for (Runnable op : refused) {
                assertThatThrownBy(op::run).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("read-only").hasMessageContaining(dir.toString());
            }
            assertThat(r.listSnapshots()).hasSize(1);
            assertThat(r.hasUnsavedChanges()).isFalse();
            r.export(ExportOptions.to(other).build()); // writes elsewhere only
            assertThat(other).exists();
        } finally {
            Files.deleteIfExists(other);
        }
    }

    @Test
    void writerOnlyOperationsAreRefusedOnAWriterTheOtherWayRound() {
        try (DatabasePersistence w = writer(new VectorDB(DIM, Metric.COSINE), 5)) {
            assertThatThrownBy(w::refresh).isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
            assertThatThrownBy(w::lag).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.follow(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void neverChangesTheDirectoryNotEvenLeftovers() throws Exception {
        VectorDB db = new VectorDB(DIM, Metric.COSINE);
        db.insertBatch(TestStates.entries(50, DIM, 4));
        try (DatabasePersistence w = writer(db, 5)) {
            w.saveIncremental();
            db.insert(new VectorEntry("d", new float[DIM], Map.of()));
            w.saveIncremental();
        }
        // what only an owner may clean: a temporary of an interrupted save and an unreferenced state file
        Files.writeString(AtomicFile.tempSibling(dir.resolve("state-0000000001-delta-000002.json.gz"), ""), "partial");
        Files.copy(dir.resolve("state-0000000001.json.gz"), dir.resolve("state-0000000000.json.gz"));
        Map<String, Long> before = listing(dir);

        RecordingOps ops = new RecordingOps();
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica,
                opts().auditLog(true).fileOps(ops).build())) {
            r.load();
            r.refresh();
            r.listSnapshots();
            r.follow(Duration.ofMillis(5));
            awaitCalls(ops, 3);
        }
        assertThat(ops.writes).isEmpty();
        assertThat(listing(dir)).isEqualTo(before);
        assertSameContent(replica, contents(db));
    }

    @Test
    void refreshReadsOnlyNewDeltasAndReloadsAfterCompaction() {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(300, DIM, 5));
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence w = writer(source, 2);
             DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
            List<ReplicaListener.Applied> applied = new CopyOnWriteArrayList<>();
            r.addReplicaListener(applied::add);
            assertThat(r.refresh()).isEmpty(); // nothing committed yet
            w.saveIncremental();
            assertThat(r.refresh().orElseThrow().full()).isTrue();
            assertThat(r.refresh()).isEmpty();

            // two deltas: an update in place, a delete, a delete-then-reinsert (moves to the end), a new id
            source.insert(new VectorEntry("vec-1", new float[DIM], Map.of("v", 2L)));
            source.delete("vec-2");
            source.delete("vec-4");
            source.insert(new VectorEntry("fresh", new float[DIM], Map.of()));
            w.saveIncremental();
            source.insert(new VectorEntry("vec-4", new float[DIM], Map.of("back", true)));
            source.delete("fresh");
            source.insert(new VectorEntry("vec-5", new float[DIM], Map.of("v", 3L)));
            w.saveIncremental();

            ReplicaListener.Applied step = r.refresh().orElseThrow();
            assertThat(step.full()).isFalse();
            assertThat(step.version()).isEqualTo(new CommitVersion(1, 2));
            assertThat(step.upserted()).isEqualTo(3);   // vec-1, vec-4, vec-5 ("fresh" came and went)
            assertThat(step.deleted()).isEqualTo(3);    // vec-2, vec-4, fresh
            assertThat(step.attempts()).isEqualTo(1);
            assertSameContent(replica, contents(source));
            assertSameContent(replica, committedContent()); // the same order a full replay gives

            source.delete("vec-9");
            w.saveIncremental(); // the third delta passes maxDeltas=2: a new base
            ReplicaListener.Applied compacted = r.refresh().orElseThrow();
            assertThat(compacted.full()).isTrue();
            assertThat(compacted.version()).isEqualTo(new CommitVersion(2, 0));
            assertSameContent(replica, contents(source));
            assertThat(applied).extracting(ReplicaListener.Applied::version)
                    .containsExactly(new CommitVersion(1, 0), new CommitVersion(1, 2), new CommitVersion(2, 0));
        }
    }

    @Test
    void aDatabaseThatCannotApplyChangesIsReloadedInFull() {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(40, DIM, 6));
        PlainDb replica = new PlainDb(new VectorDB(DIM, Metric.COSINE));
        try (DatabasePersistence w = writer(source, 5);
             DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
            w.saveIncremental();
            r.load();
            source.delete("vec-0");
            w.saveIncremental();
            ReplicaListener.Applied step = r.refresh().orElseThrow();
            assertThat(step.full()).isTrue();
            assertThat(step.version()).isEqualTo(new CommitVersion(1, 1));
            assertSameContent(replica, contents(source));
        }
    }

    @Test
    void writesIntoTheReplicasDatabaseAreUndoneByAFullReload() {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(40, DIM, 7));
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence w = writer(source, 5);
             DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
            w.saveIncremental();
            r.load();
            replica.insert(new VectorEntry("local-only", new float[DIM], Map.of()));
            ReplicaListener.Applied step = r.refresh().orElseThrow(); // same version on disk, but the db drifted
            assertThat(step.full()).isTrue();
            assertSameContent(replica, contents(source));
        }
    }

    @Test
    void compactionBetweenManifestReadAndOpenIsRetriedWithTheNewManifest() {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(200, DIM, 8));
        try (DatabasePersistence w = writer(source, 5)) {
            w.saveIncremental();
            source.delete("vec-1");
            w.saveIncremental();
            AtomicInteger compactions = new AtomicInteger();
            // the first time the replica opens a state file, the writer compacts: the file is deleted under it
            RecordingOps ops = new RecordingOps().beforeStateOpen(file -> {
                if (compactions.get() == 0) {
                    compactions.incrementAndGet();
                    source.insert(new VectorEntry("during", new float[DIM], Map.of()));
                    w.save();
                }
            });
            VectorDB replica = new VectorDB(DIM, Metric.COSINE);
            try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().fileOps(ops).build())) {
                List<ReplicaListener.Applied> applied = new ArrayList<>();
                r.addReplicaListener(applied::add);
                r.load();
                assertThat(compactions.get()).isEqualTo(1);
                assertThat(applied).singleElement().satisfies(a -> {
                    assertThat(a.attempts()).isEqualTo(2);
                    assertThat(a.version()).isEqualTo(new CommitVersion(2, 0));
                });
                assertThat(Files.exists(dir.resolve("state-0000000001.json.gz"))).isFalse();
                assertSameContent(replica, contents(source));
                assertThat(replica.contains("during")).isTrue();
            }
        }
    }

    @Test
    void aFileReplacedUnderAChangedManifestIsRetriedNotCalledCorrupt() throws IOException {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(100, DIM, 9));
        try (DatabasePersistence w = writer(source, 5)) {
            w.saveIncremental();
            Path oldBase = dir.resolve("state-0000000001.json.gz");
            Path elsewhere = Files.createTempFile(dir.getParent(), "other-state", ".json.gz");
            try {
                // a valid state file of other content, to put where the replica expects the old base
                VectorDB other = new VectorDB(DIM, Metric.COSINE);
                other.insertBatch(TestStates.entries(3, DIM, 99));
                try (DatabasePersistence o = new DatabasePersistence(other, opts().baseDir(elsewhere.getParent()
                        .resolve("other-dir")).build())) {
                    Files.copy(o.save(), elsewhere, StandardCopyOption.REPLACE_EXISTING);
                }
                AtomicInteger hooks = new AtomicInteger();
                RecordingOps ops = new RecordingOps().beforeStateOpen(file -> {
                    if (hooks.getAndIncrement() == 0) {
                        source.delete("vec-5");
                        w.save(); // commits generation 2, deletes the old base ...
                        try {     // ... and a file of other content appears under the old name
                            Files.copy(elsewhere, oldBase);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
                VectorDB replica = new VectorDB(DIM, Metric.COSINE);
                try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().fileOps(ops).build())) {
                    assertThat(r.refresh().orElseThrow().attempts()).isEqualTo(2);
                    assertSameContent(replica, contents(source));
                }
            } finally {
                Files.deleteIfExists(elsewhere);
            }
        }
    }

    @Test
    void aDamagedFileUnderAnUnchangedManifestIsReportedAsCorrupt() throws IOException {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(100, DIM, 10));
        try (DatabasePersistence w = new DatabasePersistence(source, opts().compression("none").build())) {
            w.save();
        }
        Path base = dir.resolve("state-0000000001.json");
        String json = Files.readString(base);
        int at = json.indexOf("\"vector\"");
        int digit = at + json.substring(at).indexOf('0', 12); // a digit inside the first vector
        Files.writeString(base, json.substring(0, digit) + '1' + json.substring(digit + 1));
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
            assertThatThrownBy(r::load).isInstanceOf(CorruptedStateException.class)
                    .isNotInstanceOf(DirectoryChangingException.class)
                    .hasMessageContaining("state-0000000001.json").hasMessageContaining("checksum");
            assertThat(replica.size()).isZero();
        }
    }

    @Test
    void aMissingFileUnderAnUnchangedManifestIsReportedAsMissing() throws IOException {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(10, DIM, 11));
        try (DatabasePersistence w = writer(source, 5)) {
            w.save();
        }
        Files.delete(dir.resolve("state-0000000001.json.gz"));
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE), opts().build())) {
            assertThatThrownBy(r::load).isInstanceOf(PersistenceException.class)
                    .isNotInstanceOf(DirectoryChangingException.class)
                    .hasMessageContaining("state-0000000001.json.gz").hasMessageContaining("no such file");
        }
    }

    @Test
    void aDirectoryChangingUnderEveryAttemptGivesTheTypedError() {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(50, DIM, 12));
        try (DatabasePersistence w = writer(source, 5)) {
            w.save();
            AtomicInteger commits = new AtomicInteger();
            RecordingOps ops = new RecordingOps().beforeStateOpen(file -> {
                source.insert(new VectorEntry("c" + commits.incrementAndGet(), new float[DIM], Map.of()));
                w.save();
            });
            VectorDB replica = new VectorDB(DIM, Metric.COSINE);
            replica.insert(new VectorEntry("before", new float[DIM], Map.of()));
            try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().fileOps(ops).build())) {
                assertThatThrownBy(r::load).isInstanceOfSatisfying(DirectoryChangingException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(ChainFollower.MAX_ATTEMPTS);
                    assertThat(e.file()).isEqualTo(dir);
                    assertThat(e.getMessage()).contains(dir.toString()).contains("10 attempts");
                });
                assertThat(commits.get()).isEqualTo(ChainFollower.MAX_ATTEMPTS);
                assertThat(contents(replica)).extracting(VectorEntry::id).containsExactly("before");
                assertThat(r.version()).isEmpty();
            }
        }
    }

    @Test
    void followAppliesEachCommitAndReportsErrorsWithoutLosingTheVersionHeld() throws Exception {
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(100, DIM, 13));
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence w = new DatabasePersistence(source,
                opts().compression("none").maxDeltas(50).maxDeltaRatio(100).build());
             DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
            List<ReplicaListener.Applied> applied = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            r.addReplicaListener(new ReplicaListener() {
                @Override
                public void onApplied(Applied a) {
                    applied.add(a);
                }

                @Override
                public void onError(Throwable error) {
                    errors.add(error);
                }
            });
            w.saveIncremental();
            r.follow(Duration.ofMillis(10));
            assertThat(r.isFollowing()).isTrue();
            for (int i = 0; i < 5; i++) {
                source.insert(new VectorEntry("f" + i, new float[DIM], Map.of()));
                w.saveIncremental();
                CommitVersion committed = w.version().orElseThrow();
                await(() -> r.version().equals(Optional.of(committed)));
            }
            assertSameContent(replica, contents(source));
            assertThat(applied).extracting(ReplicaListener.Applied::version).isSorted();

            // a committed delta damaged on disk (paused meanwhile, so that no poll reads it intact first):
            // each poll reports it, the replica keeps 1+5
            r.stopFollowing();
            source.insert(new VectorEntry("damaged", new float[DIM], Map.of()));
            Path delta = w.saveIncremental().orElseThrow();
            List<VectorEntry> held = contents(replica);
            String json = Files.readString(delta);
            Files.writeString(delta, json.replace("\"damaged\"", "\"dAmaged\""));
            r.follow(Duration.ofMillis(10));
            await(() -> errors.size() >= 2);
            assertThat(errors.get(0)).isInstanceOf(CorruptedStateException.class).hasMessageContaining(delta.getFileName().toString());
            assertThat(r.version()).contains(new CommitVersion(1, 5));
            assertSameContent(replica, held);

            w.save(); // a new base: the replica recovers at the next poll
            await(() -> r.version().equals(Optional.of(new CommitVersion(2, 0))));
            assertSameContent(replica, contents(source));
            r.stopFollowing();
            assertThat(r.isFollowing()).isFalse();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vecpersist-follow") && t.isAlive());
    }

    @Test
    void closeStopsFollowing() throws Exception {
        DatabasePersistence r = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE), opts().build());
        r.follow(Duration.ofMillis(10));
        r.close();
        assertThat(r.isFollowing()).isFalse();
        assertThatThrownBy(r::refresh).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void lagIsTheTimeSinceTheReplicaWasLastKnownCurrent() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(10, DIM, 14));
        try (DatabasePersistence w = writer(source, 5);
             DatabasePersistence r = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE),
                     opts().clock(clock).build())) {
            clock.advance(Duration.ofSeconds(5));
            assertThat(r.lag()).isEqualTo(Duration.ofSeconds(5)); // nothing loaded: behind since opening
            w.saveIncremental();
            r.refresh();
            assertThat(r.lag()).isZero();
            clock.advance(Duration.ofSeconds(3));
            assertThat(r.lag()).isEqualTo(Duration.ofSeconds(3)); // a commit now would be at most 3 s old
            r.refresh();                                           // nothing new, but current again
            assertThat(r.lag()).isZero();
            clock.advance(Duration.ofSeconds(2));
            source.delete("vec-1");
            w.saveIncremental();
            assertThat(r.lag()).isEqualTo(Duration.ofSeconds(2));
            r.refresh();
            assertThat(r.lag()).isZero();
        }
    }

    @Test
    void followsAnEncryptedDirectoryWithTheKeysAndRefusesItWithout() {
        dev.vecpersist.core.crypto.EncryptionKeys keys = dev.vecpersist.core.crypto.EncryptionKeys.of("k1", EncryptionTest.KEY1);
        VectorDB source = new VectorDB(DIM, Metric.COSINE);
        source.insertBatch(TestStates.entries(30, DIM, 15));
        VectorDB replica = new VectorDB(DIM, Metric.COSINE);
        try (DatabasePersistence w = new DatabasePersistence(source, opts().encryption(keys).maxDeltas(5).build());
             DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().encryption(keys).build());
             DatabasePersistence noKeys = DatabasePersistence.openReadOnly(new VectorDB(DIM, Metric.COSINE), opts().build())) {
            w.saveIncremental();
            r.load();
            source.delete("vec-3");
            w.saveIncremental();
            assertThat(r.refresh().orElseThrow().full()).isFalse();
            assertSameContent(replica, contents(source));
            assertThatThrownBy(noKeys::load).isInstanceOf(PersistenceException.class)
                    .isNotInstanceOf(DirectoryChangingException.class);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 30 s");
            }
            Thread.sleep(5);
        }
    }

    private static void awaitCalls(RecordingOps ops, int manifestReads) throws InterruptedException {
        int start = ops.manifestReads.get();
        await(() -> ops.manifestReads.get() >= start + manifestReads);
    }

    /** Every file's name and modification time (nanoseconds), subdirectories included. */
    private static Map<String, Long> listing(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.put(root.relativize(f).toString(), Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS));
            }
        }
        return out;
    }

    /** The real file system; records any write, and runs a hook before a state file is opened. */
    static final class RecordingOps implements FileOps {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final AtomicInteger manifestReads = new AtomicInteger();
        private volatile Consumer<Path> beforeStateOpen = f -> { };

        RecordingOps beforeStateOpen(Consumer<Path> hook) {
            beforeStateOpen = hook;
            return this;
        }

        @Override
        public InputStream open(Path file) throws IOException {
            String name = file.getFileName().toString();
            if (name.equals(Manifest.FILE_NAME)) {
                manifestReads.incrementAndGet();
            } else if (name.startsWith("state-")) {
                beforeStateOpen.accept(file);
            }
            return SYSTEM.open(file);
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            writes.add("create " + file);
            return SYSTEM.create(file);
        }

        @Override
        public void sync(Path file) throws IOException {
            writes.add("sync " + file);
            SYSTEM.sync(file);
        }

        @Override
        public void atomicMove(Path from, Path to) throws IOException {
            writes.add("move " + from + " " + to);
            SYSTEM.atomicMove(from, to);
        }

        @Override
        public void syncDirectory(Path d) throws IOException {
            writes.add("syncDirectory " + d);
            SYSTEM.syncDirectory(d);
        }

        @Override
        public void createDirectory(Path d) throws IOException {
            writes.add("createDirectory " + d);
            SYSTEM.createDirectory(d);
        }

        @Override
        public void deleteIfExists(Path file) throws IOException {
            writes.add("delete " + file);
            SYSTEM.deleteIfExists(file);
        }
    }

    /** A database with neither change tracking nor change applying. */
    static final class PlainDb implements PersistableDatabase {
        private final VectorDB inner;

        PlainDb(VectorDB inner) {
            this.inner = inner;
        }

        @Override public int dimension() { return inner.dimension(); }
        @Override public Metric metric() { return inner.metric(); }
        @Override public long size() { return inner.size(); }
        @Override public EntrySnapshot snapshot() { return inner.snapshot(); }
        @Override public void clear() { inner.clear(); }
        @Override public void insertBatch(Collection<VectorEntry> entries) { inner.insertBatch(entries); }

        @Override
        public long replaceAll(Collection<VectorEntry> entries, byte[] indexState) {
            inner.replaceAll(entries, indexState);
            return -1;
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
