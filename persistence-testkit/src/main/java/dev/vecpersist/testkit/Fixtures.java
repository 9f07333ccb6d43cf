package dev.vecpersist.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files written by the TypeScript reference module, carried in this jar as class-path resources
 * under {@code reference-module/}. Nothing is read from outside the repository.
 */
public final class Fixtures {

    /** Every file of the reference module, relative to its folder. */
    public static final List<String> REFERENCE_MODULE_FILES = List.of(
            "README.md", "small.json", "small.bin", "small.json.gzip", "small.json.brotli",
            "snapshots/023aed0b-2763-411e-b17b-38a0985d4ba2.json",
            "snapshots/023aed0b-2763-411e-b17b-38a0985d4ba2.meta.json");

    private static final String ROOT = "reference-module/";
    private static Path copy;

    private Fixtures() {
    }

    /**
     * One of the reference module's files, read from the class path.
     *
     * @param name a name of {@link #REFERENCE_MODULE_FILES}, e.g. {@code small.json}
     * @return its content, to be closed by the caller
     */
    public static InputStream openReferenceFile(String name) {
        InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IllegalStateException("class-path resource " + ROOT + name
                    + " not found: is dev.vecpersist:persistence-testkit on the test class path?");
        }
        return in;
    }

    /**
     * A folder holding a copy of every reference-module file, for tests that need real files (to
     * load them, list a snapshot folder). Made once per JVM in the temporary directory, removed at exit.
     * Tests must not modify it: copy a file before changing it.
     *
     * @return the folder (with a {@code snapshots/} subfolder)
     */
    public static synchronized Path referenceModule() {
        if (copy == null) {
            try {
                Path dir = Files.createTempDirectory("vecpersist-reference-module");
                for (String name : REFERENCE_MODULE_FILES) {
                    Path target = dir.resolve(name);
                    Files.createDirectories(target.getParent());
                    try (InputStream in = openReferenceFile(name)) {
                        Files.copy(in, target);
                    }
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "fixtures-cleanup"));
                copy = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the reference module's files to a temporary folder", e);
            }
        }
        return copy;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit: the folder is in the temporary directory
        }
    }
}
