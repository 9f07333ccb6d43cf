package dev.vecpersist.cli;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code verify DIR} and {@code recover DIR} over a base directory whose manifest is damaged (issue 15, item 2). */
class RecoverCommandTest {

    @TempDir
    Path dir;

    @Test
    void verifyNamesTheIntactChainAndRecoverRebuildsTheManifestFromIt() throws Exception {
        VectorDB db = Databases.random(30, 4, 7);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir).build())) {
            p.save();
            db.insert(Databases.entry(new java.util.Random(1), "extra", 4, 99));
            p.saveIncremental();
        }
        Path manifest = dir.resolve("MANIFEST.json");
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        Files.writeString(manifest, text.replaceFirst("\"entries\" : 30", "\"entries\" : 31"), StandardCharsets.UTF_8);

        CliTest.Result verify = CliTest.run("verify", dir.toString());
        assertThat(verify.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(verify.out()).contains("newest intact state: state-0000000001.json and 1 delta(s)")
                .contains("vecpersist recover");

        CliTest.Result dry = CliTest.run("recover", "--dry-run", dir.toString());
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("intact   state-0000000001.json").contains("intact   state-0000000001-delta-000001.json")
                .contains("intact chain: state-0000000001.json and 1 delta(s)");
        assertThat(Files.readString(manifest, StandardCharsets.UTF_8)).as("dry run changes nothing").contains("\"entries\" : 31");

        try (DatabasePersistence owner = new DatabasePersistence(new VectorDB(4, Metric.COSINE),
                PersistenceOptions.builder().baseDir(dir).build())) {
            CliTest.Result refused = CliTest.run("recover", dir.toString());
            assertThat(refused.code()).isEqualTo(VecPersistCli.FAILED);
            assertThat(refused.err()).contains("in use");
        }
        CliTest.Result recovered = CliTest.run("recover", dir.toString());
        assertThat(recovered.code()).as(recovered.err()).isZero();
        assertThat(recovered.out()).contains("rebuilt");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("MANIFEST.json.corrupt-"));
        }
        VectorDB loaded = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder().baseDir(dir).build())) {
            p.load();
        }
        assertThat(Databases.sameContent(loaded, db)).isTrue();
        assertThat(CliTest.run("recover", dir.toString()).err()).contains("the manifest is intact");
    }
}
