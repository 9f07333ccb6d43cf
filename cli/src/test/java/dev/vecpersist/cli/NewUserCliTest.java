package dev.vecpersist.cli;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vecpersist.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** What a new user tripped over in the CLI (issue 23, items 6 to 10), through the in-process runner. */
class NewUserCliTest {

    @TempDir
    Path dir;

    private Path baseDir(String format, String codec) {
        Path base = dir.resolve("base-" + format + "-" + codec);
        try (DatabasePersistence p = new DatabasePersistence(Databases.random(40, 6, 5),
                PersistenceOptions.builder().baseDir(base).format(format).compression(codec).build())) {
            p.save();
        }
        return base;
    }

    private static String snapshotId(CliTest.Result created) {
        assertThat(created.code()).as(created.err()).isZero();
        Matcher m = Pattern.compile("created snapshot ([0-9a-f-]{36})").matcher(created.out());
        assertThat(m.find()).as(created.out()).isTrue();
        return m.group(1);
    }

    private static String committedFile(CliTest.Result restored) {
        assertThat(restored.code()).as(restored.err()).isZero();
        Matcher m = Pattern.compile("as the committed state (\\S+)").matcher(restored.out());
        assertThat(m.find()).as(restored.out()).isTrue();
        return m.group(1);
    }

    @Test
    void item4VerifyListsTemporaryFilesNoLiveProcessOwns() throws Exception {
        Path base = baseDir("json", "none");
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gone.waitFor();
        Path stale = base.resolve(".state.bin.tmp-" + gone.pid() + "-" + java.util.UUID.randomUUID());
        Files.writeString(stale, "half a save");
        Path live = base.resolve(".state.bin.tmp-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID());
        Files.writeString(live, "a save in flight");

        CliTest.Result r = run("verify", base.toString());
        assertThat(r.code()).as("stale temporary files are not damage").isZero();
        assertThat(r.out()).contains("STRAY   " + stale + ": temporary file of an interrupted save; the next save or load of "
                + "state.bin removes it").doesNotContain(live.toString()).contains(", 1 stray");
        assertThat(stale).as("verify only lists").exists();
        Path file = base.resolve("state.bin");
        Files.copy(new StateInspector().committedFiles(base).get(0), file);
        assertThat(run("verify", file.toString()).out()).contains("STRAY   " + stale);
    }

    @Test
    void item6SnapshotsTakeFormatAndCodecFromTheDirectoryUnlessFlagsSayOtherwise() {
        Path base = baseDir("msgpack", "lz4");
        String id = snapshotId(run("snapshots", "create", "--dir", base.toString(), "--name", "n"));
        assertThat(run("snapshots", "list", "--dir", base.toString()).out()).contains("msgpack/lz4");

        String restored = committedFile(run("snapshots", "restore", id, "--dir", base.toString()));
        assertThat(restored).matches("state-\\d{10}\\.msgpack\\.lz4");
        assertThat(new StateInspector().encoding(base.resolve(restored))).containsExactly("msgpack", "lz4");

        String overridden = committedFile(run("snapshots", "restore", id, "--dir", base.toString(), "--format", "json",
                "--compression", "gzip"));
        assertThat(new StateInspector().encoding(base.resolve(overridden))).containsExactly("json", "gzip");
        String jsonSnapshot = snapshotId(run("snapshots", "create", "--dir", base.toString(), "--name", "j", "-f", "sqlite"));
        assertThat(run("snapshots", "list", "--dir", base.toString()).out())
                .containsPattern(jsonSnapshot + ".*sqlite/gzip");
    }

    @Test
    void item7ConvertKeepsTheHeaderSoTheContentChecksumStaysTheSame() {
        Path in = dir.resolve("in.json.gz");
        try (DatabasePersistence p = new DatabasePersistence(Databases.random(25, 5, 9),
                PersistenceOptions.builder().baseDir(dir.resolve("w")).format("json").compression("gzip").build())) {
            p.save(in);
        }
        StateInspector inspector = new StateInspector();
        StateInspector.Report before = inspector.verify(in);
        for (String[] target : List.of(new String[] {"sqlite", "brotli"}, new String[] {"msgpack", "none"})) {
            Path out = dir.resolve("out-" + target[0] + "-" + target[1]);
            CliTest.Result r = run("convert", in.toString(), out.toString(), "--format", target[0], "--compression", target[1]);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("converted 25 entries").contains(before.checksum());
            StateInspector.Report after = inspector.verify(out);
            assertThat(after.format()).isEqualTo(target[0]);
            assertThat(after.checksum()).isEqualTo(before.checksum());
            assertThat(after.header().createdAt()).isEqualTo(before.header().createdAt());
            assertThat(after.header().indexState()).isEqualTo(before.header().indexState());
        }
    }

    @Test
    void item8InspectSaysUnknownForAReferenceModuleFilesCreationTime() throws Exception {
        // a file the reference module wrote: version 1.0.0, the timestamp after the vectors, a SHA-256 checksum
        Path file = dir.resolve("reference.json");
        try (var in = dev.vecpersist.testkit.Fixtures.openReferenceFile("small.json")) {
            Files.copy(in, file);
        }
        CliTest.Result r = run("inspect", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("created:        unknown").doesNotContain("1970-01-01");

        Path ours = dir.resolve("ours.json");
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(2, Metric.COSINE),
                PersistenceOptions.builder().baseDir(dir.resolve("o")).build())) {
            p.save(ours);
        }
        assertThat(run("inspect", ours.toString()).out()).containsPattern("created:        20\\d\\d-\\d\\d-\\d\\dT");
    }

    @Test
    void item9SizesAreLabelledInBinaryUnits() throws Exception {
        Path base = baseDir("json", "none");
        Path file = new StateInspector().committedFiles(base).get(0);
        long bytes = Files.size(file);
        assertThat(bytes).isGreaterThan(1024);
        CliTest.Result r = run("inspect", file.toString());
        assertThat(r.out()).containsPattern("size:           \\d+\\.\\d\\d KiB \\(" + bytes + " bytes\\)");
        assertThat(r.out()).doesNotContain(" KB");
        snapshotId(run("snapshots", "create", "--dir", base.toString(), "--name", "n"));
        assertThat(run("snapshots", "list", "--dir", base.toString()).out()).contains(" KiB").doesNotContain(" KB");
    }

    @Test
    void item10DemoReportsEveryLongStepAndEndsEachAt100PercentOnce() {
        CliTest.Result r = run("demo", "--vectors", "2000", "--dimension", "4", "--dir", dir.resolve("demo").toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        for (String op : List.of("export", "import")) {
            assertThat(lines).filteredOn(l -> l.startsWith(op + ": 100% (2000/2000 entries)")).hasSize(12);
        }
        for (String op : List.of("snapshot", "restore", "save", "save-incremental", "load")) {
            assertThat(lines).filteredOn(l -> l.startsWith(op + ": 100% ")).as(op).hasSize(1);
        }
        assertThat(lines).filteredOn(l -> l.startsWith("export:   0%")).hasSize(12);
        // never "99% (2000/2000)": below 100 % only while entries remain
        Pattern line = Pattern.compile("[a-z-]+: +(\\d+)% \\((\\d+)/(\\d+) entries\\)");
        for (String l : lines) {
            Matcher m = line.matcher(l);
            if (m.matches() && !m.group(1).equals("100")) {
                assertThat(Long.parseLong(m.group(2))).as(l).isLessThan(Long.parseLong(m.group(3)));
            }
        }
    }
}
