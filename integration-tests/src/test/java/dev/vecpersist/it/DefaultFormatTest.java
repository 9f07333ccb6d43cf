package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.UnsupportedFormatException;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PersistenceOptions.builder().baseDir(d).build()} in a project that lacks format-json (issue
 * 23, item 3), in a child JVM whose class path really lacks the modules: loading needs no format;
 * the only format present is the default for saves; with several and no json, saves fail naming them.
 */
class DefaultFormatTest {

    @TempDir
    Path dir;

    @Test
    void withOnlyMsgpackTheDefaultsSaveAndLoadMsgpack() throws Exception {
        Path file = savedState("sqlite");
        String out = runChild(List.of("format-json", "format-sqlite"), dir.resolve("child"));
        assertThat(out).contains("saved msgpack").contains("loaded 10");
        assertThat(new StateInspector().encoding(dir.resolve("child").resolve("state.bin"))).containsExactly("msgpack", "none");
        assertThat(file).exists();
    }

    @Test
    void withSeveralFormatsButNoJsonLoadsWorkAndSavesAskForAChoice() throws Exception {
        // format-sqlite's reader uses format-json's classes, so the file loaded is msgpack; the sqlite
        // provider on the class path stands for any second format (a third party's)
        Path file = savedState("msgpack");
        Path child = Files.createDirectories(dir.resolve("child"));
        Files.copy(file, child.resolve("state.bin"));
        String out = runChild(List.of("format-json"), child);
        assertThat(out).contains("loaded 10")
                .contains("save refused: UnsupportedFormatException: no format chosen for saves and 2 are on the class path "
                        + "(msgpack, sqlite): choose one with PersistenceOptions.builder().format(\"msgpack\")");
    }

    @Test
    void withNoFormatAtAllSavesSayWhatToAdd() throws Exception {
        String out = runChild(List.of("format-json", "format-msgpack", "format-sqlite"), dir.resolve("child"));
        assertThat(out).contains("save refused: UnsupportedFormatException: no StateFormat on the class path: add one of "
                + "dev.vecpersist:format-json, dev.vecpersist:format-msgpack or dev.vecpersist:format-sqlite");
    }

    private Path savedState(String format) {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, 4, 1));
        Path file = dir.resolve("state." + format);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                .format(format).build())) {
            p.save(file);
        }
        return file;
    }

    private static String runChild(List<String> withoutModules, Path childDir) throws Exception {
        String full = System.getProperty("java.class.path");
        String classpath = Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> withoutModules.stream().noneMatch(m -> entry.contains(File.separator + m + File.separator)
                        || Path.of(entry).getFileName().toString().startsWith(m + "-")))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath.split(File.pathSeparator)).hasSizeLessThanOrEqualTo(full.split(File.pathSeparator).length
                - withoutModules.size());
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, DefaultsInChild.class.getName(), childDir.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    /** Runs in the child JVM: loads {@code DIR/state.bin} if it exists, else saves it with the defaults and loads it. */
    public static final class DefaultsInChild {
        public static void main(String[] args) throws Exception {
            Path base = Path.of(args[0]);
            Path file = base.resolve("state.bin");
            VectorDB db = new VectorDB(4, Metric.COSINE);
            boolean existed = Files.exists(file);
            try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).build())) {
                if (!existed) {
                    db.insertBatch(TestStates.entries(10, 4, 1));
                    try {
                        p.save(file);
                        System.out.println("saved " + new StateInspector().encoding(file).get(0));
                    } catch (UnsupportedFormatException e) {
                        System.out.println("save refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        return;
                    }
                }
                p.load(file);
                System.out.println("loaded " + db.size());
                try {
                    p.save();
                } catch (UnsupportedFormatException e) {
                    System.out.println("save refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }
}
