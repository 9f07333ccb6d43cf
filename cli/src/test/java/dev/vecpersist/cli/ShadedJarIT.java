package dev.vecpersist.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar, as users run it: every plugin's META-INF/services entry survived shading. */
class ShadedJarIT {

    private static String run(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("vecpersist.jar", "target/vecpersist.jar"));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theJarRunsTheDemoWithEveryFormatAndCodec() throws Exception {
        assertThat(run("--help")).contains("Usage: vecpersist").contains("demo").contains("snapshots");
        assertThat(run("--version")).startsWith("vecpersist " + System.getProperty("vecpersist.version") + " (Java ");
        String demo = run("demo", "--vectors", "200", "--dimension", "8");
        for (String format : List.of("json", "msgpack", "sqlite")) {
            for (String codec : List.of("none", "gzip", "brotli", "lz4")) {
                assertThat(demo).containsPattern("(?m)^" + format + "\\s+" + codec + "\\s+.*\\byes$");
            }
        }
        assertThat(demo).contains("every load matched the original");
    }
}
