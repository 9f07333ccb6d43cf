package com.example.vecpersist.zstd;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.CompressionCodecContract;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared codec contract, plus the proof: discovered by name and used by the manager, untouched. */
class ZstdCodecTest extends CompressionCodecContract {

    @TempDir
    Path dir;

    @Override
    protected CompressionCodec codec() {
        return new ZstdCodec();
    }

    @Test
    void theManagerFindsItByNameAndDetectsItsFiles() throws Exception {
        assertThat(Plugins.discover().codec("zstd")).isInstanceOf(ZstdCodec.class);
        VectorDB db = new VectorDB(16, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(200, 16, 1));
        Path file = dir.resolve("no-extension-hint");
        try (DatabasePersistence p = new DatabasePersistence(db,
                PersistenceOptions.builder().baseDir(dir.resolve("a")).compression("zstd").build())) {
            p.save(file);
        }
        assertThat(java.util.Arrays.copyOf(Files.readAllBytes(file), 4)).containsExactly(0x28, 0xb5, 0x2f, 0xfd);
        assertThat(new StateInspector().inspect(file, 0).compression()).isEqualTo("zstd");
        VectorDB fresh = new VectorDB(16, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(fresh,
                PersistenceOptions.builder().baseDir(dir.resolve("b")).build())) {
            p.load(file);
        }
        List<Object> a = new ArrayList<>();
        List<Object> b = new ArrayList<>();
        db.snapshot().forEach(a::add);
        fresh.snapshot().forEach(b::add);
        assertThat(b).isEqualTo(a);
    }
}
