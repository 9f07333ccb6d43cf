package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.UnsupportedFormatException;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file written with a plugin whose module is then absent: a child JVM whose classpath really
 * lacks that module's jar loads it and must fail with {@link UnsupportedFormatException} naming the
 * plugin and the artifact to add.
 */
class MissingModuleTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"json, lz4, codec-lz4", "json, gzip, codec-gzip", "msgpack, none, format-msgpack",
                "sqlite, none, format-sqlite", "json, brotli, codec-brotli"})
    void loadingWithoutTheModuleNamesTheArtifact(String format, String codec, String module) throws Exception {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, 4, 1));
        Path file = dir.resolve("state.bin");
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                .format(format).compression(codec).build())) {
            p.save(file);
        }
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains(File.separator + module + File.separator)
                        && !Path.of(entry).getFileName().toString().startsWith(module + "-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath).isNotEqualTo(System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, LoadInChild.class.getName(), file.toString(), dir.resolve("r").toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(3);
        String name = "none".equals(codec) ? format : codec;
        assertThat(output).contains(UnsupportedFormatException.class.getSimpleName()).contains(name)
                .contains("dev.vecpersist:" + module).contains(file.toString());
    }

    /** Runs in the child JVM: loads a file and prints the outcome. */
    public static final class LoadInChild {
        public static void main(String[] args) {
            VectorDB db = new VectorDB(4, Metric.COSINE);
            try (DatabasePersistence p = new DatabasePersistence(db,
                    PersistenceOptions.builder().baseDir(Path.of(args[1])).build())) {
                p.load(Path.of(args[0]));
                System.out.println("loaded " + db.size());
                System.exit(0);
            } catch (UnsupportedFormatException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                System.exit(3);
            } catch (RuntimeException e) {
                System.out.println("unexpected " + e);
                System.exit(4);
            }
        }
    }

}
