package dev.vecpersist.cli;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code vecpersist verify FILE|DIR}: full checksum verification; exit 0 only when everything is sound. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify state files completely (parse, counts, checksums).",
                "A directory is a manager's base directory: its committed files (MANIFEST.json) and snapshots."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:every file is sound", "1:a file is damaged or unreadable"})
final class VerifyCommand implements Callable<Integer> {

    private static final String MANIFEST = "MANIFEST.json";

    @Parameters(paramLabel = "FILE|DIR", description = "A state file, or a base directory.")
    Path target;

    @picocli.CommandLine.Mixin
    KeyOptions keyOptions = new KeyOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(target)) {
            throw new VecPersistCli.CliException(target + ": no such file or directory");
        }
        List<String> problems = new ArrayList<>();
        StateInspector inspector = new StateInspector(Plugins.discover(), keyOptions.keys());
        List<Path> files = Files.isDirectory(target) ? filesOf(target, inspector, problems) : List.of(target);
        if (files.isEmpty() && problems.isEmpty()) {
            throw new VecPersistCli.CliException(target + ": holds no state files");
        }
        problems.forEach(p -> out.printf("FAILED  %s%n", p));
        int bad = problems.size();
        for (Path f : files) {
            try {
                StateInspector.Report r = inspector.verify(f);
                out.printf("OK      %s  (%s/%s, %s, %d entries, checksum %s%s)%n", f, r.format(), r.compression(),
                        r.header().kind().name().toLowerCase(Locale.ROOT), r.header().entryCount(),
                        r.checksumState().toLowerCase(Locale.ROOT),
                        r.keyId() == null ? "" : ", encrypted with key '" + r.keyId() + "', authenticated");
            } catch (PersistenceException e) {
                bad++;
                out.printf("FAILED  %s%n", VecPersistCli.describe(e));
            }
        }
        out.printf("%d file(s) checked, %d damaged%n", files.size() + problems.size(), bad);
        return bad == 0 ? 0 : VecPersistCli.FAILED;
    }

    /**
     * The committed chain (if there is a manifest), then every other state-looking file and the
     * snapshots. A damaged manifest, or a chain file it lists that is gone, goes to {@code problems}.
     */
    private static List<Path> filesOf(Path dir, StateInspector inspector, List<String> problems) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        if (Files.exists(dir.resolve(MANIFEST))) {
            try {
                for (Path f : inspector.committedFiles(dir)) {
                    if (Files.exists(f)) {
                        files.add(f);
                    } else {
                        problems.add(f + ": listed in " + MANIFEST + " but missing");
                    }
                }
            } catch (PersistenceException e) {
                problems.add(VecPersistCli.describe(e));
            }
        }
        List<Path> candidates = new ArrayList<>(regularFiles(dir));
        candidates.addAll(regularFiles(dir.resolve("snapshots")));
        for (Path f : candidates) {
            if (isStateFile(f.getFileName().toString())) {
                files.add(f);
            }
        }
        return new ArrayList<>(files);
    }

    /** Not a lock or temporary file (dot-prefixed), the manifest, or a snapshot's metadata. */
    private static boolean isStateFile(String name) {
        return !name.startsWith(".") && !name.equals(MANIFEST) && !name.endsWith(".meta.json");
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
