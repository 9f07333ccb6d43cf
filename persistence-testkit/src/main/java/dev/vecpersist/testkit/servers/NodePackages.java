package dev.vecpersist.testkit.servers;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test servers that come from npm (s3rver, Azurite), run with the machine's Node.js and installed by
 * the test itself into {@code target/}, so a fresh checkout needs nothing installed by hand but
 * Node.js. Without Node.js the tests that need it are skipped with a message saying so, except in
 * CI ({@code CI=true}), where they must run: there a missing Node.js fails the test.
 */
public final class NodePackages {

    private static final long INSTALL_TIMEOUT_MINUTES = 10;

    private NodePackages() {
    }

    /**
     * The {@code node} executable on the PATH; skips the test (or fails it in CI) when there is none.
     *
     * @param why what needs it, for the message
     * @return the executable
     */
    public static Path node(String why) {
        Path node = onPath("node");
        if (node == null || onPath("npm") == null) {
            String message = "Node.js (node and npm on the PATH) is needed for " + why + " and was not found";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + "; CI=true, so this fails instead of skipping");
            }
            Assumptions.abort(message + ": skipping (install Node.js to run these tests)");
        }
        return node;
    }

    /**
     * Installs {@code name@version} with {@code npm install --prefix dir} unless that version is
     * already there.
     *
     * @param dir     the install prefix, e.g. {@code target/s3rver}
     * @param name    the npm package
     * @param version its exact version
     * @return the package's directory, {@code dir/node_modules/name}
     * @throws IOException when npm fails (its output is in {@code dir/npm-install.log})
     */
    public static synchronized Path install(Path dir, String name, String version) throws IOException {
        node("the " + name + " test server");
        Path pkg = dir.resolve("node_modules").resolve(name);
        Path manifest = pkg.resolve("package.json");
        if (Files.isRegularFile(manifest)
                && Files.readString(manifest, StandardCharsets.UTF_8).contains("\"version\": \"" + version + "\"")) {
            return pkg;
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("npm-install.log");
        List<String> command = new ArrayList<>(List.of(onPath("npm").toString(), "install", "--prefix",
                dir.toAbsolutePath().toString(), name + "@" + version, "--no-audit", "--no-fund", "--no-save",
                "--loglevel=error"));
        Process npm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!npm.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IOException("npm install " + name + "@" + version + " took over " + INSTALL_TIMEOUT_MINUTES
                        + " minutes; see " + log);
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing " + name, e);
        }
        if (npm.exitValue() != 0 || !Files.isRegularFile(manifest)) {
            throw new IOException("npm install " + name + "@" + version + " failed (exit " + npm.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
        return pkg;
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
