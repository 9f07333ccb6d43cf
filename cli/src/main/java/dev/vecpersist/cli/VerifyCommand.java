package dev.vecpersist.cli;

import dev.vecpersist.api.PersistenceException;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code vecpersist verify FILE|DIR}: full checksum verification; exit 0 only when everything is sound. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify state files completely (parse, counts, checksums).",
                "A directory is a manager's base directory: its committed files (MANIFEST.json) and snapshots."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:every file is sound", "1:a file is damaged or unreadable"})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE|DIR", description = "A state file, or a base directory.")
    Path target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(target)) {
            throw new VecPersistCli.CliException(target + ": no such file or directory");
        }
        List<Path> files = Files.isDirectory(target) ? filesOf(target) : List.of(target);
        if (files.isEmpty()) {
            throw new VecPersistCli.CliException(target + ": holds no state files");
        }
        StateInspector inspector = new StateInspector();
        int bad = 0;
        for (Path f : files) {
            try {
                StateInspector.Report r = inspector.verify(f);
                out.printf("OK      %s  (%s/%s, %d entries, checksum %s)%n", f, r.format(), r.compression(),
                        r.header().entryCount(), r.checksumState().toLowerCase());
            } catch (PersistenceException e) {
                bad++;
                out.printf("FAILED  %s%n", VecPersistCli.describe(e));
            }
        }
        out.printf("%d file(s) checked, %d damaged%n", files.size(), bad);
        return bad == 0 ? 0 : VecPersistCli.FAILED;
    }

    /** The committed chain (if there is a manifest), then every other state-looking file and the snapshots. */
    private static List<Path> filesOf(Path dir) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        if (Files.exists(dir.resolve("MANIFEST.json"))) {
            List<Path> chain = new StateInspector().committedFiles(dir);
            for (Path f : chain) {
                if (!Files.exists(f)) {
                    throw new VecPersistCli.CliException(f + ": listed in the manifest but missing");
                }
            }
            files.addAll(chain);
        }
        Path snapshots = dir.resolve("snapshots");
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).forEach(candidates::add);
        }
        if (Files.isDirectory(snapshots)) {
            try (Stream<Path> list = Files.list(snapshots)) {
                list.filter(Files::isRegularFile).forEach(candidates::add);
            }
        }
        for (Path f : candidates) {
            String name = f.getFileName().toString();
            boolean skip = name.startsWith(".") || name.equals("MANIFEST.json") || name.endsWith(".meta.json");
            if (!skip) {
                files.add(f);
            }
        }
        return new ArrayList<>(files);
    }
}
