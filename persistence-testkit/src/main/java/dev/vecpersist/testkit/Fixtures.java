package dev.vecpersist.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures: {@code shared/fixtures} beside the repository or above it. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The folder of files written by the TypeScript reference module. */
    public static Path referenceModule() {
        String configured = System.getProperty("vecpersist.fixtures");
        if (configured != null) {
            return Path.of(configured, "reference-module");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("reference-module");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/fixtures/reference-module not found above " + Path.of("").toAbsolutePath()
                + " (set -Dvecpersist.fixtures=DIR)");
    }
}
