package dev.vecpersist.cli;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the CLI in-process and checks its output and exit codes. */
class CliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VecPersistCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path savedState(String name, String format, String codec) {
        VectorDB db = Databases.random(50, 8, 1);
        Path file = dir.resolve(name);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w-" + name))
                .format(format).compression(codec).build())) {
            p.save(file);
        }
        return file;
    }

    @Test
    void demoSavesAndLoadsEveryFormatAndCodecAndVerifiesThem() {
        Result r = run("demo", "--vectors", "300", "--dimension", "16", "--dir", dir.resolve("demo").toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String format : List.of("json", "msgpack", "sqlite")) {
            for (String codec : List.of("none", "gzip", "brotli", "lz4")) {
                assertThat(r.out()).containsPattern("(?m)^" + format + "\\s+" + codec + "\\s+.*\\byes$");
            }
        }
        assertThat(r.out()).contains("SHA-256 verified, identical to the snapshot")
                .containsPattern("incremental .*delta.* after 3 changes")
                .contains("every load matched the original");
    }

    @Test
    void inspectShowsHeaderChecksumAndFirstEntries() {
        Path file = savedState("state.bin", "msgpack", "lz4");
        Result r = run("inspect", file.toString(), "-n", "2");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("format:         msgpack (layout version 1)").contains("compression:    lz4")
                .contains("dimension:      8").contains("metric:         cosine").contains("entries:        50")
                .containsPattern("checksum:       crc32c:[0-9a-f]{8} \\(verified\\)").contains("  vec-0  [").contains("  vec-1  [")
                .doesNotContain("  vec-2  [");
    }

    @Test
    void verifyReturnsZeroForSoundFilesAndNonZeroForDamagedOnes() throws Exception {
        Path good = savedState("good.json", "json", "none");
        Result ok = run("verify", good.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("OK      " + good).contains("1 file(s) checked, 0 damaged");

        Path bad = dir.resolve("bad.json");
        String text = Files.readString(good);
        int at = text.indexOf("\"vector\":[") + 12;
        Files.writeString(bad, text.substring(0, at) + (text.charAt(at) == '1' ? '2' : '1') + text.substring(at + 1));
        Result damaged = run("verify", bad.toString());
        assertThat(damaged.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(damaged.out()).contains("FAILED").contains("checksum mismatch").contains("1 damaged");
        assertThat(damaged.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void verifyChecksABaseDirectoryWithItsChainAndSnapshots() {
        Path base = dir.resolve("base");
        VectorDB db = Databases.random(40, 4, 2);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            p.saveIncremental();
            db.delete("vec-1");
            p.saveIncremental();
            p.createSnapshot("s");
        }
        Result r = run("verify", base.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("3 file(s) checked, 0 damaged").contains("delta");
    }

    @Test
    void verifyReportsEveryProblemOfADirectoryAndKeepsGoing() throws Exception {
        Path base = dir.resolve("broken");
        VectorDB db = Databases.random(20, 4, 5);
        Path delta;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            p.save();
            db.delete("vec-3");
            delta = p.saveIncremental().orElseThrow();
            p.createSnapshot("s");
        }
        Files.delete(delta);
        Result r = run("verify", base.toString());
        assertThat(r.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(r.out()).contains("FAILED  " + delta + ": listed in MANIFEST.json but missing")
                .containsPattern("OK      .*state-0000000001\\.json .*full, 20 entries")
                .containsPattern("OK      .*snapshots/.*\\.data ")
                .contains("3 file(s) checked, 1 damaged");
    }

    @Test
    void convertKeepsEverythingAcrossFormatsAndCodecs() {
        Path json = savedState("in.json", "json", "gzip");
        Path out = dir.resolve("out.sqlite.br");
        Result r = run("convert", json.toString(), out.toString(), "--format", "sqlite", "--compression", "brotli");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("converted 50 entries");
        VectorDB a = new VectorDB(8, Metric.COSINE);
        VectorDB b = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(a, PersistenceOptions.builder().baseDir(dir.resolve("a")).build())) {
            p.load(json);
        }
        try (DatabasePersistence p = new DatabasePersistence(b, PersistenceOptions.builder().baseDir(dir.resolve("b")).build())) {
            p.load(out);
        }
        assertThat(Databases.sameContent(a, b)).isTrue();
        assertThat(run("inspect", out.toString()).out()).contains("format:         sqlite").contains("compression:    brotli");
    }

    @Test
    void snapshotsListShowsAnUnreadableSnapshotAndDeleteRemovesIt() throws IOException {
        Path base = dir.resolve("damagedsnap");
        VectorDB db = Databases.random(10, 4, 5);
        String damaged;
        String intact;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            damaged = p.createSnapshot("damaged").id();
            intact = p.createSnapshot("intact").id();
        }
        Path meta = base.resolve("snapshots").resolve(damaged + ".meta.json");
        Files.writeString(meta, "{\"id\": \"" + damaged + "\", \"vers");

        Result listed = run("snapshots", "list", "--dir", base.toString());
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(intact).contains("1 snapshot(s)")
                .containsPattern("unreadable: " + Pattern.quote(meta.toAbsolutePath().toString()) + ": \\S.*\\R");

        Result deleted = run("snapshots", "delete", damaged, "--dir", base.toString());
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(meta).doesNotExist();
        assertThat(run("snapshots", "list", "--dir", base.toString()).out()).contains("1 snapshot(s)")
                .doesNotContain("unreadable");
    }

    @Test
    void snapshotsListCreateRestoreDelete() {
        Path base = dir.resolve("snapbase");
        VectorDB db = Databases.random(30, 4, 3);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
            p.save();
        }
        Result created = run("snapshots", "create", "--dir", base.toString(), "--name", "nightly", "--note", "cli test");
        assertThat(created.code()).as(created.err()).isZero();
        Matcher m = Pattern.compile("created snapshot ([0-9a-f-]{36})").matcher(created.out());
        assertThat(m.find()).isTrue();
        String id = m.group(1);

        Result listed = run("snapshots", "list", "--dir", base.toString());
        assertThat(listed.out()).contains(id).contains("nightly").contains("1 snapshot(s)");

        Result restored = run("snapshots", "restore", id, "--dir", base.toString());
        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("restored snapshot " + id).contains("30 vectors");

        Result deleted = run("snapshots", "delete", id, "--dir", base.toString());
        assertThat(deleted.code()).isZero();
        assertThat(run("snapshots", "list", "--dir", base.toString()).out()).contains("0 snapshot(s)");
        Result traversal = run("snapshots", "restore", "../../etc/passwd", "--dir", base.toString());
        assertThat(traversal.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(traversal.err()).startsWith("vecpersist: no snapshot with id '../../etc/passwd'");
    }

    @Test
    void badInputGivesOneLineAndNonZeroExitCodes() throws Exception {
        Result missing = run("inspect", dir.resolve("nope.json").toString());
        assertThat(missing.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(missing.err().trim().lines()).hasSize(1);
        assertThat(missing.err()).startsWith("vecpersist: ").contains("nope.json").contains("no such file");

        Path garbage = dir.resolve("garbage.json");
        Files.write(garbage, "{\"version\": \"2.0.0\", \"vectors\": [1, 2".getBytes());
        Result corrupt = run("inspect", garbage.toString());
        assertThat(corrupt.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(corrupt.err().trim().lines()).hasSize(1);
        assertThat(corrupt.err()).contains("garbage.json");

        Result verbose = run("inspect", garbage.toString(), "--verbose");
        assertThat(verbose.err()).contains("CorruptedStateException").contains("\tat ");

        Path good = savedState("g.json", "json", "none");
        Result unknown = run("convert", good.toString(), dir.resolve("x").toString(), "--format", "parquet");
        assertThat(unknown.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(unknown.err()).contains("no StateFormat named 'parquet'");

        Result badLevel = run("convert", good.toString(), dir.resolve("y").toString(), "-c", "gzip", "--level", "42");
        assertThat(badLevel.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(badLevel.err().trim()).isEqualTo("vecpersist: gzip level must be 1..9, was 42");
        assertThat(badLevel.out()).as("rejected before the input is read").isEmpty();
        Result levelWithoutCodec = run("convert", good.toString(), dir.resolve("y").toString(), "--level", "3");
        assertThat(levelWithoutCodec.err()).contains("--level needs --compression");
        assertThat(dir.resolve("y")).doesNotExist();

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result nothingSaved = run("snapshots", "create", "--dir", empty.toString(), "--name", "n");
        assertThat(nothingSaved.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(nothingSaved.err().trim().lines()).hasSize(1);
        assertThat(nothingSaved.err()).contains("MANIFEST.json");
        Result noDir = run("snapshots", "list", "--dir", dir.resolve("absent").toString());
        assertThat(noDir.err()).contains("absent: no such directory");
        assertThat(run("verify", empty.toString()).err()).contains("holds no state files");

        Result usage = run("demo", "--vectors", "many");
        assertThat(usage.code()).isEqualTo(VecPersistCli.USAGE);
        assertThat(usage.err()).contains("--vectors");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"demo", "--help"}, new String[] {"inspect", "--help"},
                new String[] {"verify", "--help"}, new String[] {"convert", "--help"}, new String[] {"snapshots", "--help"},
                new String[] {"snapshots", "list", "--help"}, new String[] {"snapshots", "create", "--help"},
                new String[] {"snapshots", "restore", "--help"}, new String[] {"snapshots", "delete", "--help"},
                new String[] {"snapshots", "prune", "--help"})) {
            Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage: vecpersist");
        }
        assertThat(run("--version").out()).startsWith("vecpersist ");
    }
}
