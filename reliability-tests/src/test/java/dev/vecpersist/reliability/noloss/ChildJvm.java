package dev.vecpersist.reliability.noloss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a child JVM (another process, other OS locks). */
final class ChildJvm {

    /** What a finished child printed and returned. */
    record Result(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    static ProcessBuilder builder(String maxHeap, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Runs the child to its end (killing it after {@code timeoutSeconds}, a guard against hangs only). */
    static Result run(String maxHeap, long timeoutSeconds, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Process p = builder(maxHeap, main, args).start();
        byte[][] out = new byte[1][];
        Thread drain = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        drain.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            drain.join();
            throw new AssertionError("child " + main.getSimpleName() + " did not finish within " + timeoutSeconds
                    + " s; output:\n" + new String(out[0], StandardCharsets.UTF_8));
        }
        drain.join();
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }
}
