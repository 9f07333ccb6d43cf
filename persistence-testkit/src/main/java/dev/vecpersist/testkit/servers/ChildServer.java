package dev.vecpersist.testkit.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test server in a child process (for example s3rver or Azurite under Node.js) that binds a port
 * the system picks and prints it: the first output line matching {@code ready} gives the port (its
 * first group). The output goes to a log file; the process and its children are stopped by
 * {@link #close()} or, at the latest, when the test JVM exits.
 */
public final class ChildServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ChildServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the command and waits for its ready line.
     *
     * @param command        the program and its arguments
     * @param ready          a pattern whose first group is the port, e.g. {@code listening on .*:(\d+)}
     * @param log            where the output goes
     * @param timeoutSeconds how long to wait for the ready line
     * @return the running server
     * @throws IOException when it cannot start, exits, or is not ready in time (the log is named)
     */
    public static ChildServer start(List<String> command, Pattern ready, Path log, long timeoutSeconds)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, ready, log, port), "child-server-output");
        pump.setDaemon(true);
        pump.start();
        ChildServer server;
        try {
            server = new ChildServer(process, port.get(timeoutSeconds, TimeUnit.SECONDS), log);
        } catch (TimeoutException | ExecutionException e) {
            destroy(process);
            throw new IOException(command.get(0) + " " + String.join(" ", command.subList(1, Math.min(3, command.size())))
                    + " did not start within " + timeoutSeconds + " s; see " + log.toAbsolutePath(), e);
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a test server", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "child-server-stop"));
        return server;
    }

    /** {@return the port the server listens on (127.0.0.1)} */
    public int port() {
        return port;
    }

    /** {@return the server's output log} */
    public Path log() {
        return log;
    }

    /** Stops the server and its child processes. */
    @Override
    public void close() {
        destroy(process);
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Process process, Pattern ready, Path log, CompletableFuture<Integer> port) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                Matcher m = ready.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the server exited before it was ready"));
    }
}
