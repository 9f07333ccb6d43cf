package dev.vecpersist.store.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real S3 server for the tests: Adobe's S3Mock, run from its self-contained jar (resolved by
 * Maven, path in the {@code s3mock.jar} system property) in a child JVM, plain HTTP on 127.0.0.1
 * at a port the system picks. One server serves the whole test run; it stops when the test JVM
 * exits (a shutdown hook, and the child also exits when its standard input closes).
 */
final class S3MockServer {

    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";
    static final String REGION = "us-east-1";
    private static final long START_TIMEOUT_SECONDS = 90;

    private static S3MockServer shared;

    private final Process process;
    private final URI endpoint;
    private final S3Client client;

    private S3MockServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.client = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
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

    /** {@code http://127.0.0.1:PORT}. */
    URI endpoint() {
        return endpoint;
    }

    /** A client of the server for checking what the store did (raw listings, planted objects). */
    S3Client client() {
        return client;
    }

    /** Creates a bucket with a fresh name. */
    String newBucket() {
        String bucket = "b-" + UUID.randomUUID();
        client.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    /** Store settings for {@code bucket} on this server; {@code extra} entries are added or override. */
    Map<String, String> settings(String bucket, String... extra) {
        Map<String, String> s = new HashMap<>(Map.of(
                S3StoreSettings.BUCKET, bucket,
                S3StoreSettings.ENDPOINT, endpoint.toString(),
                S3StoreSettings.REGION, REGION,
                S3StoreSettings.PATH_STYLE, "true",
                S3StoreSettings.ACCESS_KEY_ID, ACCESS_KEY,
                S3StoreSettings.SECRET_ACCESS_KEY, SECRET_KEY));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    /** Every key in the bucket. */
    List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
    }

    /** Keys of the multipart uploads in progress in the bucket. */
    List<String> multipartUploads(String bucket) {
        return client.listMultipartUploads(r -> r.bucket(bucket)).uploads().stream().map(u -> u.key()).toList();
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
        client.close();
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
