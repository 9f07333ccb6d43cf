package dev.vecpersist.core;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.testkit.Fingerprints;
import dev.vecpersist.testkit.MutableClock;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.vecpersist.core.EncryptionTest.KEY1;
import static dev.vecpersist.core.EncryptionTest.KEY2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The readers of the manifest with a history: replicas, key rotation, the verifier, the publisher. */
class HistoryReadersTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final Map<Long, String> committed = new HashMap<>();

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").clock(clock)
                .history(HistoryPolicy.keepLast(10)).maxDeltas(2).maxDeltaRatio(100);
    }

    /** Commits a full save and {@code changes} incremental ones, recording each version's content. */
    private VectorDB write(PersistenceOptions options, int changes) {
        VectorDB db = new VectorDB(4, Metric.DOT);
        db.insertBatch(TestStates.entries(20, 4, 3));
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            p.save();
            committed.put(1L, Fingerprints.of(db));
            for (int i = 0; i < changes; i++) {
                clock.advance(Duration.ofMinutes(1));
                db.insert(new VectorEntry("new-" + i, new float[] {i, 1, 2, 3}, Map.of("i", (long) i)));
                db.delete("vec-" + i);
                p.saveIncremental();
                committed.put(i + 2L, Fingerprints.of(db));
            }
        }
        return db;
    }

    @Test
    void aReadOnlyManagerListsAndLoadsVersionsAndItsNextRefreshReturnsToTheLatest() {
        VectorDB writer = write(opts().build(), 5);
        VectorDB replica = new VectorDB(4, Metric.DOT);
        try (DatabasePersistence r = DatabasePersistence.openReadOnly(replica, opts().build())) {
            r.load();
            assertThat(r.listVersions()).extracting(VersionInfo::number).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            r.loadVersion(2);
            assertThat(Fingerprints.of(replica)).isEqualTo(committed.get(2L));
            assertThat(r.version()).isEmpty();   // it holds no committed version of the directory now
            assertThat(r.refresh()).hasValueSatisfying(a -> assertThat(a.full()).isTrue());
            assertThat(Fingerprints.of(replica)).isEqualTo(Fingerprints.of(writer));
            assertThatThrownBy(() -> r.restoreVersion(1)).isInstanceOf(IllegalStateException.class);
            r.follow(Duration.ofHours(1));
            assertThatThrownBy(() -> r.loadVersion(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stopFollowing");
        }
    }

    @Test
    void keyRotationRewritesEveryRetainedVersionUnderThePrimaryKey() throws IOException {
        write(opts().encryption(EncryptionKeys.of("k1", KEY1)).build(), 4);
        EncryptionKeys rotated = EncryptionKeys.of("k2", KEY2).withOlder("k1", KEY1);
        VectorDB db = new VectorDB(4, Metric.DOT);
        List<VersionInfo> before;
        try (DatabasePersistence p = new DatabasePersistence(db, opts().encryption(rotated).build())) {
            before = p.listVersions();
            p.reencrypt();
            List<VersionInfo> after = p.listVersions();
            assertThat(after).extracting(VersionInfo::number).containsExactlyElementsOf(
                    before.stream().map(VersionInfo::number).toList());
            assertThat(after).extracting(VersionInfo::time).containsExactlyElementsOf(
                    before.stream().map(VersionInfo::time).toList());
        }
        // only the new key now: every retained version still loads, so every file was rewritten
        try (DatabasePersistence p = new DatabasePersistence(db, opts().encryption(EncryptionKeys.of("k2", KEY2)).build())) {
            for (VersionInfo v : before) {
                p.loadVersion(v.number());
                assertThat(Fingerprints.of(db)).as("version %d", v.number()).isEqualTo(committed.get(v.number()));
            }
        }
        // generations 1 (versions 1..3) and 2 (versions 4, 5) were rewritten as 3 and 4, the old files deleted
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("state-")))
                    .containsExactlyInAnyOrder("state-0000000003.json.gz", "state-0000000003-delta-000001.json.gz",
                            "state-0000000003-delta-000002.json.gz", "state-0000000004.json.gz",
                            "state-0000000004-delta-000001.json.gz");
        }
    }

    @Test
    void theVerifierChecksTheFilesOfRetainedVersionsAndCallsNoneAStray() throws IOException {
        write(opts().build(), 4);            // generation 1 belongs to versions 1..3 only
        List<DirectoryVerifier.Finding> findings = new DirectoryVerifier().verify(dir);
        Path oldBase = dir.resolve("state-0000000001.json.gz");
        assertThat(findings).noneMatch(f -> f.status() == DirectoryVerifier.Status.STRAY);
        assertThat(findings).anyMatch(f -> f.path().equals(oldBase) && f.status() == DirectoryVerifier.Status.OK
                && f.detail().contains("verified"));
        Files.delete(dir.resolve("state-0000000001-delta-000001.json.gz"));
        assertThat(new DirectoryVerifier().verify(dir)).anyMatch(f -> f.status() == DirectoryVerifier.Status.DAMAGED
                && f.path().equals(dir.resolve("state-0000000001-delta-000001.json.gz"))
                && f.detail().contains("missing"));
    }

    @Test
    void thePublisherNeverDeletesAFileARetainedVersionNames() throws IOException {
        MemoryChainStore store = new MemoryChainStore();
        VectorDB db = new VectorDB(4, Metric.DOT);
        db.insertBatch(TestStates.entries(20, 4, 3));
        PersistenceOptions options = opts().history(HistoryPolicy.keepLast(4)).build();
        try (DatabasePersistence p = new DatabasePersistence(db, options);
             BaseDirectory shared = BaseDirectory.openShared(FileOps.SYSTEM, dir)) {
            ChainPublisher publisher = new ChainPublisher(store, shared, Duration.ZERO, clock);
            p.save();
            publisher.publish(manifest());
            for (int i = 0; i < 5; i++) {    // versions 2..6; 4 is a compaction (generation 2)
                db.delete("vec-" + i);
                p.saveIncremental();
                clock.advance(Duration.ofMinutes(1));
                publisher.publish(manifest());
            }
            // versions 3..6 are retained: 3 needs generation 1's base and delta 1..2, 4..6 generation 2
            assertThat(store.objects.keySet()).contains("state-0000000001.json.gz", "state-0000000001-delta-000002.json.gz",
                    "state-0000000002.json.gz");
            db.delete("vec-9");
            p.saveIncremental();             // 7: keeps 4..7, generation 1 is named by none
            clock.advance(Duration.ofMinutes(1));
            publisher.publish(manifest());
            assertThat(store.objects.keySet()).noneMatch(n -> n.startsWith("state-0000000001"));
            assertThat(store.objects.keySet()).containsExactlyInAnyOrderElementsOf(manifest().referencedFileNames());
        }
    }

    private Manifest manifest() {
        return Manifest.read(FileOps.SYSTEM, dir.resolve(Manifest.FILE_NAME));
    }

    /** A chain store in memory. */
    private static final class MemoryChainStore implements ChainStore {
        final Map<String, byte[]> objects = new TreeMap<>();
        byte[] manifest;

        @Override
        public void upload(String name, Path file) throws IOException {
            objects.put(name, Files.readAllBytes(file));
        }

        @Override
        public Optional<InputStream> open(String name) {
            return Optional.ofNullable(objects.get(name)).map(ByteArrayInputStream::new);
        }

        @Override
        public List<StoredObject> list() {
            List<StoredObject> all = new ArrayList<>();
            objects.forEach((n, b) -> all.add(new StoredObject(n, b.length, Instant.EPOCH)));
            return all;
        }

        @Override
        public void delete(String name) {
            objects.remove(name);
        }

        @Override
        public void writeManifest(byte[] content) {
            manifest = content.clone();
        }

        @Override
        public Optional<byte[]> readManifest() {
            return Optional.ofNullable(manifest);
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {
        }
    }
}
