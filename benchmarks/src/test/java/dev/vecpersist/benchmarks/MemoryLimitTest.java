package dev.vecpersist.benchmarks;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Save and load of 100K x 384 (about 176 MB of database) in a child JVM limited to -Xmx256m, for
 * every format: saving and loading stream, so there is no room for a second copy of the data.
 */
class MemoryLimitTest {

    @TempDir
    Path dir;

    /** Child JVM entry point: "save FORMAT FILE" builds and saves; "load FILE" loads into an empty database. */
    public static final class Child {
        public static void main(String[] args) {
            Path file = Path.of(args[args.length - 1]);
            VectorDB db;
            if (args[0].equals("save")) {
                db = Data.database(100_000);
                try (DatabasePersistence p = new DatabasePersistence(db,
                        PersistenceOptions.builder().baseDir(file.resolveSibling("save-" + args[1])).format(args[1]).build())) {
                    p.save(file);
                }
            } else {
                db = new VectorDB(Data.DIMENSION, Metric.COSINE);
                try (DatabasePersistence p = new DatabasePersistence(db,
                        PersistenceOptions.builder().baseDir(file.resolveSibling("load-" + file.getFileName())).build())) {
                    p.load(file);
                }
            }
            System.out.println(args[0] + " ok " + db.size() + " entries, max heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        }
    }

    private static String runChild(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack", "sqlite"})
    void savesAndLoads100kVectorsIn256Mb(String format) throws Exception {
        Path file = dir.resolve("state." + format);
        assertThat(runChild("save", format, file.toString())).contains("save ok 100000 entries");
        assertThat(runChild("load", file.toString())).contains("load ok 100000 entries");
    }
}
