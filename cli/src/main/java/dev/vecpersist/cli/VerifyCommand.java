package dev.vecpersist.cli;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.DirectoryVerifier;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
        if (Files.isDirectory(target)) {
            return verifyDirectory(out);
        }
        List<String> problems = new ArrayList<>();
        List<Path> files = List.of(target);
        if (files.isEmpty() && problems.isEmpty()) {
            throw new VecPersistCli.CliException(target + ": holds no state files");
        }
        problems.forEach(p -> out.printf("FAILED  %s%n", p));
        StateInspector inspector = new StateInspector();
        int bad = problems.size();
        for (Path f : files) {
            try {
                StateInspector.Report r = inspector.verify(f);
                out.printf("OK      %s  (%s/%s, %s, %d entries, checksum %s)%n", f, r.format(), r.compression(),
                        r.header().kind().name().toLowerCase(Locale.ROOT), r.header().entryCount(),
                        r.checksumState().toLowerCase(Locale.ROOT));
            } catch (PersistenceException e) {
                bad++;
                out.printf("FAILED  %s%n", VecPersistCli.describe(e));
            }
        }
        out.printf("%d file(s) checked, %d damaged%n", files.size() + problems.size(), bad);
        if (Files.isDirectory(target)) {
            RecoverCommand.hintIfManifestDamaged(target, out);
        }
        return bad == 0 ? 0 : VecPersistCli.FAILED;
    }

    /** The chain, every state file, every snapshot's size and SHA-256; stray temporaries are reported, not counted as damage. */
    private int verifyDirectory(PrintWriter out) throws IOException {
        List<DirectoryVerifier.Finding> findings = new DirectoryVerifier().verify(target);
        if (findings.isEmpty()) {
            throw new VecPersistCli.CliException(target + ": holds no state files");
        }
        int checked = 0;
        int bad = 0;
        for (DirectoryVerifier.Finding f : findings) {
            switch (f.status()) {
                case OK -> out.printf("OK      %s  (%s)%n", f.path(), f.detail());
                case DAMAGED -> out.printf("FAILED  %s: %s%n", f.path(), f.detail());
                case STRAY -> out.printf("STRAY   %s: %s%n", f.path(), f.detail());
            }
            if (f.status() != DirectoryVerifier.Status.STRAY) {
                checked++;
                bad += f.status() == DirectoryVerifier.Status.DAMAGED ? 1 : 0;
            }
        }
        long strays = findings.size() - checked;
        out.printf("%d file(s) checked, %d damaged%s%n", checked, bad, strays == 0 ? "" : ", " + strays + " stray");
        return bad == 0 ? 0 : VecPersistCli.FAILED;
    }
}
