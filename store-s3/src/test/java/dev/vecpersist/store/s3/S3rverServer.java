package dev.vecpersist.store.s3;

import dev.vecpersist.testkit.servers.ChildServer;
import dev.vecpersist.testkit.servers.NodePackages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * s3rver 3.7.1 (npm), a second, independent S3 implementation: installed by the first test that
 * needs it into {@code target/s3rver} with the machine's npm, run with its Node.js on 127.0.0.1 at a
 * port the system picks. Without Node.js its tests skip, except in CI where they fail
 * ({@link NodePackages}). One server serves the whole test run.
 */
final class S3rverServer extends S3TestServer {

    static final String VERSION = "3.7.1";
    /** s3rver's built-in account. */
    private static final String KEY = "S3RVER";
    private static final Pattern READY = Pattern.compile("S3rver listening on [0-9.]+:(\\d+)");

    private static S3rverServer shared;

    private S3rverServer(URI endpoint) {
        super("s3rver " + VERSION, endpoint, KEY, KEY);
    }

    /** s3rver answers ListMultipartUploads with 501 and gives multipart objects a plain MD5 ETag. */
    @Override
    boolean showsMultipart() {
        return false;
    }

    /** The server of this test run, installed and started on first use. */
    static synchronized S3rverServer shared() {
        Path node = NodePackages.node("the s3rver tests");
        if (shared == null) {
            try {
                Path target = Path.of("target");
                Path pkg = NodePackages.install(target.resolve("s3rver"), "s3rver", VERSION);
                Path data = Files.createTempDirectory(Files.createDirectories(target), "s3rver-data-");
                ChildServer server = ChildServer.start(List.of(node.toString(), pkg.resolve("bin/s3rver.js").toString(),
                        "--directory", data.toAbsolutePath().toString(), "--address", "127.0.0.1", "--port", "0",
                        "--no-vhost-buckets"), READY, target.resolve("s3rver.log"), 60);
                shared = new S3rverServer(URI.create("http://127.0.0.1:" + server.port()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }
}
