package dev.vecpersist.core;

import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.FileOps;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistenceOptionsTest {

    private static final Path DIR = Path.of("target", "options-test");

    @Test
    void theDefaults() {
        PersistenceOptions o = PersistenceOptions.builder().baseDir(DIR).build();
        assertThat(o.baseDir()).isEqualTo(DIR.toAbsolutePath().normalize());
        assertThat(o.scratchDir()).isEqualTo(o.baseDir());
        assertThat(o.format()).isNull();
        assertThat(o.compression()).isEqualTo("none");
        assertThat(o.compressionLevel()).isNull();
        assertThat(o.batchSize()).isEqualTo(1000);
        assertThat(o.verifyChecksums()).isTrue();
        assertThat(o.maxSnapshots()).isEqualTo(10);
        assertThat(o.autoSaveInterval()).isNull();
        assertThat(o.autoSaveFailureListener()).isNull();
        assertThat(o.maxDeltas()).isEqualTo(10);
        assertThat(o.maxDeltaRatio()).isEqualTo(0.5);
        assertThat(o.includeIndexState()).isTrue();
        assertThat(o.snapshotStore()).isEqualTo("filesystem");
        assertThat(o.snapshotStoreSettings()).isEmpty();
        assertThat(o.fileOps()).isSameAs(FileOps.SYSTEM);
        assertThat(o.maxScratchBytes()).isEqualTo(PersistenceOptions.DEFAULT_MAX_SCRATCH_BYTES);
        assertThat(o.clock()).isEqualTo(Clock.systemUTC());
        assertThat(o.encryption()).isNull();
        assertThat(o.auditLog()).isFalse();
        assertThat(o.auditLogMaxBytes()).isEqualTo(16L << 20);
        assertThat(PersistenceOptions.builder().baseDir(DIR).compression(null).build().compression()).isEqualTo("none");
    }

    @Test
    void toBuilderCarriesEveryValueAndABuiltOptionsObjectNeverChangesAfterwards() {
        Consumer<Throwable> listener = t -> { };
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        EncryptionKeys keys = EncryptionKeys.of("k1", EncryptionTest.KEY1);
        Map<String, String> settings = new HashMap<>(Map.of("bucket", "b"));
        PersistenceOptions.Builder b = PersistenceOptions.builder().baseDir(DIR).format("msgpack").compression("gzip")
                .compressionLevel(3).batchSize(7).verifyChecksums(false).maxSnapshots(2)
                .autoSaveInterval(Duration.ofSeconds(5)).autoSaveFailureListener(listener).maxDeltas(4).maxDeltaRatio(0.25)
                .includeIndexState(false).snapshotStore("s3").snapshotStoreSettings(settings).scratchDir(Path.of("scratch"))
                .maxScratchBytes(1 << 20).clock(clock).encryption(keys).auditLog(true).auditLogMaxBytes(8192);
        PersistenceOptions o = b.build();
        settings.put("bucket", "changed");
        b.batchSize(99).baseDir(Path.of("elsewhere")).snapshotStoreSettings(Map.of());
        UnaryOperator<PersistenceOptions> copy = x -> x.toBuilder().build();
        for (PersistenceOptions x : new PersistenceOptions[] {o, copy.apply(o)}) {
            assertThat(x.baseDir()).isEqualTo(DIR.toAbsolutePath().normalize());
            assertThat(x.format()).isEqualTo("msgpack");
            assertThat(x.compression()).isEqualTo("gzip");
            assertThat(x.compressionLevel()).isEqualTo(3);
            assertThat(x.batchSize()).isEqualTo(7);
            assertThat(x.verifyChecksums()).isFalse();
            assertThat(x.maxSnapshots()).isEqualTo(2);
            assertThat(x.autoSaveInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(x.autoSaveFailureListener()).isSameAs(listener);
            assertThat(x.maxDeltas()).isEqualTo(4);
            assertThat(x.maxDeltaRatio()).isEqualTo(0.25);
            assertThat(x.includeIndexState()).isFalse();
            assertThat(x.snapshotStore()).isEqualTo("s3");
            assertThat(x.snapshotStoreSettings()).isEqualTo(Map.of("bucket", "b"));
            assertThat(x.scratchDir()).isEqualTo(Path.of("scratch").toAbsolutePath().normalize());
            assertThat(x.maxScratchBytes()).isEqualTo(1 << 20);
            assertThat(x.clock()).isSameAs(clock);
            assertThat(x.encryption()).isSameAs(keys);
            assertThat(x.auditLog()).isTrue();
            assertThat(x.auditLogMaxBytes()).isEqualTo(8192);
        }
        PersistenceOptions changed = o.toBuilder().batchSize(5).build();
        assertThat(changed.batchSize()).isEqualTo(5);
        assertThat(o.batchSize()).isEqualTo(7);
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> PersistenceOptions.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("baseDir");
        assertRefused(b -> b.batchSize(0), "batchSize");
        assertRefused(b -> b.maxSnapshots(0), "maxSnapshots");
        assertRefused(b -> b.autoSaveInterval(Duration.ZERO), "autoSaveInterval");
        assertRefused(b -> b.maxDeltas(-1), "maxDeltas");
        assertRefused(b -> b.maxDeltaRatio(0), "maxDeltaRatio");
        assertRefused(b -> b.maxScratchBytes(0), "maxScratchBytes");
        assertRefused(b -> b.auditLogMaxBytes(4095), "auditLogMaxBytes");
        assertThatThrownBy(() -> PersistenceOptions.builder().baseDir(DIR).clock(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> PersistenceOptions.builder().baseDir(DIR).fileOps(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("fileOps");
        assertThat(PersistenceOptions.builder().baseDir(DIR).maxDeltas(0).autoSaveInterval(Duration.ofMillis(1)).build()
                .maxDeltas()).isZero();
    }

    @Test
    void retentionDefaultsToMaxSnapshotsIsCarriedByToBuilderAndIsNotSetBesideIt() {
        assertThat(PersistenceOptions.builder().baseDir(DIR).build().retention()).isEqualTo(RetentionPolicy.keepLast(10));
        assertThat(PersistenceOptions.builder().baseDir(DIR).maxSnapshots(3).build().retention())
                .isEqualTo(RetentionPolicy.keepLast(3));
        RetentionPolicy gfs = RetentionPolicy.builder().keepLast(2).keepDaily(7).keepWeekly(4).build();
        PersistenceOptions o = PersistenceOptions.builder().baseDir(DIR).retention(gfs).build();
        assertThat(o.retention()).isSameAs(gfs);
        assertThat(o.toBuilder().build().retention()).isSameAs(gfs);
        assertThat(o.toBuilder().retention(null).build().retention()).isEqualTo(RetentionPolicy.keepLast(10));
        assertRefused(b -> b.maxSnapshots(3).retention(gfs), "set maxSnapshots or retention, not both");
        assertRefused(b -> b.retention(gfs).maxSnapshots(3), "set maxSnapshots or retention, not both");
    }

    private static void assertRefused(UnaryOperator<PersistenceOptions.Builder> change, String name) {
        assertThatThrownBy(() -> change.apply(PersistenceOptions.builder().baseDir(DIR)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }
}
