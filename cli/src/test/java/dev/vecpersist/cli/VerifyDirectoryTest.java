package dev.vecpersist.cli;

import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 14, case 4: {@code vecpersist verify DIR} checks the chain, every snapshot's bytes, and reports strays. */
class VerifyDirectoryTest {

    @TempDir
    Path dir;

    private Path baseWithDeltaAndSnapshot() {
        Path base = dir.resolve("base");
        VectorDB db = Databases.random(30, 4, 3);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            p.save();
            db.delete("vec-2");
            p.saveIncremental();
            p.createSnapshot("s");
        }
        return base;
    }

    private static Path snapshotData(Path base) throws IOException {
        try (Stream<Path> files = Files.list(base.resolve("snapshots"))) {
            return files.filter(f -> f.toString().endsWith(".data")).findFirst().orElseThrow();
        }
    }

    @Test
    void oneByteAppendedToASnapshotIsCaught() throws IOException {
        Path base = baseWithDeltaAndSnapshot();
        CliTest.Result sound = CliTest.run("verify", base.toString());
        assertThat(sound.code()).as(sound.out()).isZero();
        assertThat(sound.out()).contains("size and SHA-256 match").contains("3 file(s) checked, 0 damaged");

        // JSON ignores trailing whitespace: the content still parses and its checksum still matches
        Path data = snapshotData(base);
        Files.write(data, new byte[] {'\n'}, StandardOpenOption.APPEND);
        CliTest.Result r = CliTest.run("verify", base.toString());
        assertThat(r.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(r.out()).contains("FAILED  " + data + ": snapshot 's': its metadata records")
                .contains("1 damaged");
    }

    @Test
    void aChainFileSwappedForAnotherSoundStateIsCaught() throws IOException {
        Path base = baseWithDeltaAndSnapshot();
        Path other = dir.resolve("other");
        try (DatabasePersistence p = new DatabasePersistence(Databases.random(30, 4, 99),
                PersistenceOptions.builder().baseDir(other).build())) {
            p.save();
        }
        Files.copy(other.resolve("state-0000000001.json"), base.resolve("state-0000000001.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliTest.Result r = CliTest.run("verify", base.toString());
        assertThat(r.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(r.out()).containsPattern("FAILED  .*state-0000000001\\.json: the manifest recorded");
    }

    @Test
    void strayTemporariesAndUnlistedStateFilesAreReported() throws IOException {
        Path base = baseWithDeltaAndSnapshot();
        Path temp = Files.writeString(base.resolve(".state-0000000002.json.tmp-1234"), "partial");
        Path orphan = Files.writeString(base.resolve("state-0000000009.json"), "{}");
        Path snapshotTemp = Files.writeString(base.resolve("snapshots").resolve(".x.data.tmp-5678"), "partial");
        CliTest.Result r = CliTest.run("verify", base.toString());
        assertThat(r.code()).as(r.out()).isZero();
        for (Path stray : List.of(temp, orphan, snapshotTemp)) {
            assertThat(r.out()).contains("STRAY   " + stray + ": ");
        }
        assertThat(r.out()).contains("0 damaged, 3 stray");
        assertThat(temp).exists(); // verify changes nothing
    }
}
