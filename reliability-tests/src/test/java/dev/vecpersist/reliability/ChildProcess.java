package dev.vecpersist.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the test class path running in a child JVM, whose output lines the test waits
 * for (to time a kill) and which it kills with SIGKILL. Closing kills it, if it still runs.
 */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readLines, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildProcess start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child was killed
        }
    }

    /** Waits until the child has printed {@code line} {@code times} times (from now on). */
    void awaitLine(String line, int times, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int count = 0;
        while (count < times) {
            String next = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("the child did not print '" + line + "' " + times + " times in " + timeoutSeconds
                        + " s (alive: " + process.isAlive() + "); its output:\n" + String.join("\n", seen));
            }
            seen.add(next);
            if (next.equals(line)) {
                count++;
            }
        }
    }

    /**
     * Waits for a line {@code prefix + N} with N at least {@code minimum}.
     *
     * @return N
     */
    int awaitCount(String prefix, int minimum, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            String next = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("the child did not print '" + prefix + "N' with N >= " + minimum + " in "
                        + timeoutSeconds + " s (alive: " + process.isAlive() + "); its output:\n" + String.join("\n", seen));
            }
            seen.add(next);
            if (next.startsWith(prefix) && Integer.parseInt(next.substring(prefix.length())) >= minimum) {
                return Integer.parseInt(next.substring(prefix.length()));
            }
        }
    }

    /** SIGKILL on Linux; waits until the child is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
