package dev.vecpersist.reliability.noloss;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.ManifestRecovery;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, item 2: one damaged manifest byte, then an application that starts empty and saves,
 * must not cost the intact committed state.
 */
class ManifestDamageTest {

    @TempDir
    Path dir;

    @Test
    void aSaveOverADamagedManifestKeepsEveryStateFileAndRecoverRebuildsIt() throws Exception {
        VectorDB original = new VectorDB(3, Metric.EUCLIDEAN);
        try (DatabasePersistence p = new DatabasePersistence(original, options())) {
            for (int generation = 1; generation <= 3; generation++) {
                for (int i = 0; i < 40; i++) {
                    original.insert(new VectorEntry("g" + generation + "-" + i, new float[] {generation, i, 1},
                            Map.of("i", (long) i)));
                }
                p.save();
            }
        }
        Path intact = dir.resolve("state-0000000003.json");
        assertThat(intact).exists();
        damageOneByte(dir.resolve("MANIFEST.json"));

        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(3, Metric.EUCLIDEAN), options())) {
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class);
            Path saved = p.save(); // the application gave up and started empty
            assertThat(saved.getFileName().toString()).isEqualTo("state-0000000004.json");
        }
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(3, Metric.EUCLIDEAN), options())) {
            p.save(); // and again, after a reopen: the state of generation 4 is superseded, generation 3 is not provably
        }
        try (DatabasePersistence reopened = new DatabasePersistence(new VectorDB(3, Metric.EUCLIDEAN), options())) {
            assertThat(intact).as("the intact earlier state").exists();
            reopened.load(intact);
            assertThat(contents(reopened.database())).isEqualTo(contents(original));
        }
        assertThat(asideFiles()).as("the damaged manifest, kept aside").hasSize(1);

        // recovery: list the intact states and rebuild a manifest from generation 3
        ManifestRecovery recovery = new ManifestRecovery();
        List<ManifestRecovery.Candidate> found = recovery.scan(dir);
        assertThat(found).extracting(c -> c.file().getFileName().toString())
                .containsExactly("state-0000000003.json", "state-0000000005.json");
        assertThat(found).allMatch(ManifestRecovery.Candidate::intact);
        try (DatabasePersistence owner = new DatabasePersistence(new VectorDB(3, Metric.EUCLIDEAN), options())) {
            assertThatThrownBy(() -> recovery.rebuild(dir, 3)).hasMessageContaining("in use");
        }
        assertThat(recovery.rebuild(dir, 3)).containsExactly(intact);
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(3, Metric.EUCLIDEAN), options())) {
            p.load();
            assertThat(contents(p.database())).isEqualTo(contents(original));
            assertThat(p.save().getFileName().toString()).isEqualTo("state-0000000006.json");
        }
        assertThat(dir.resolve("state-0000000005.json")).as("kept while a replaced manifest is kept").exists();
    }

    private List<Path> asideFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("MANIFEST.json.corrupt-")).toList();
        }
    }

    /** Changes one digit of the generation: still JSON, but the manifest's own checksum no longer matches. */
    private static void damageOneByte(Path manifest) throws Exception {
        byte[] bytes = Files.readAllBytes(manifest);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"generation\"");
        at = text.indexOf('3', at);
        bytes[at] = '2';
        Files.write(manifest, bytes);
    }

    private static List<VectorEntry> contents(dev.vecpersist.api.PersistableDatabase db) {
        List<VectorEntry> all = new ArrayList<>();
        db.snapshot().forEach(all::add);
        return all;
    }

    private PersistenceOptions options() {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("none").build();
    }
}
