package dev.vecpersist.store.s3;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real S3 server for the tests: Adobe's S3Mock, run from its self-contained jar (resolved by
 * Maven, path in the {@code s3mock.jar} system property) in a child JVM, plain HTTP on 127.0.0.1
 * at a port the system picks. One server serves the whole test run; it stops when the test JVM
 * exits (a shutdown hook, and the child also exits when its standard input closes).
 */
final class S3MockServer extends S3TestServer {

    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";
    private static final long START_TIMEOUT_SECONDS = 90;

    private static S3MockServer shared;

    private final Process process;

    private S3MockServer(Process process, URI endpoint) {
        super("S3Mock", endpoint, ACCESS_KEY, SECRET_KEY);
        this.process = process;
    }

    /** The server of this test run, started on first use. */
    static synchronized S3MockServer shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3mock-stop"));
        }
        return shared;
    }

    private static S3MockServer start() throws IOException, InterruptedException {
        String jar = System.getProperty("s3mock.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the S3Mock jar is not at " + jar + " (system property s3mock.jar, set by"
                    + " store-s3/pom.xml from the com.adobe.testing:s3mock:exec test dependency)");
        }
        Path classes;
        try {
            classes = Path.of(S3MockMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        Path root = Files.createTempDirectory(target, "s3mock-");
        Path log = target.resolve("s3mock.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dloader.path=" + classes, "-Dloader.main=" + S3MockMain.class.getName(),
                "-cp", jar, "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--server.address=127.0.0.1", "--server.port=0", "--server.ssl.enabled=false",
                "--com.adobe.testing.s3mock.http-port=0",
                "--com.adobe.testing.s3mock.store.root=" + root.toAbsolutePath(),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--spring.jmx.enabled=false");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, ready), "s3mock-output");
        pump.setDaemon(true);
        pump.start();
        try {
            int port = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new S3MockServer(process, URI.create("http://127.0.0.1:" + port));
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("S3Mock did not start within " + START_TIMEOUT_SECONDS + " s; see " + log, e);
        }
    }

    /** Copies the child's output to the log and reports the port of the ready line. */
    private static void pump(Process process, Path log, CompletableFuture<Integer> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.startsWith(S3MockMain.READY)) {
                    ready.complete(Integer.parseInt(line.substring(S3MockMain.READY.length()).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("S3Mock stopped before it was ready"));
    }

    private void stop() {
        client().close();
        try {
            process.getOutputStream().close(); // the child exits when its standard input closes
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
