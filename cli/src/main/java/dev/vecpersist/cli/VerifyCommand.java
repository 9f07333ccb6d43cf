package dev.vecpersist.cli;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.DirectoryVerifier;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.StaleTemps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (Files.isDirectory(target)) {
            return verifyDirectory(out);
        }
        int bad = 0;
        try {
            StateInspector.Report r = new StateInspector(Plugins.discover(), keyOptions.keys()).verify(target);
            out.printf("OK      %s  (%s/%s, %s, %d entries, checksum %s%s)%n", target, r.format(), r.compression(),
                    r.header().kind().name().toLowerCase(Locale.ROOT), r.header().entryCount(),
                    r.checksumState().toLowerCase(Locale.ROOT),
                    r.keyId() == null ? "" : ", encrypted with key '" + r.keyId() + "', authenticated");
        } catch (PersistenceException e) {
            bad++;
            out.printf("FAILED  %s%n", VecPersistCli.describe(e));
        }
        List<Path> stale = StaleTemps.of(target);
        stale.forEach(t -> out.printf("STRAY   %s: temporary file of an interrupted save%s%n", t, removedBy(t)));
        out.printf("1 file(s) checked, %d damaged%s%n", bad, stale.isEmpty() ? "" : ", " + stale.size() + " stray");
        return bad == 0 ? 0 : VecPersistCli.FAILED;
    }

    /** {@code .NAME.tmp-...} is a temporary file of {@code NAME}: the next save or load of NAME removes it. */
    private static String removedBy(Path temp) {
        String name = temp.getFileName().toString();
        int marker = name.lastIndexOf(AtomicFile.TEMP_MARKER);
        return marker > 1 ? "; the next save or load of " + name.substring(1, marker) + " removes it" : "";
    }

    /** The chain, every state file, every snapshot's size and SHA-256; stray temporaries are reported, not counted as damage. */
    private int verifyDirectory(PrintWriter out) throws IOException {
        List<DirectoryVerifier.Finding> findings = new DirectoryVerifier(keyOptions.keys()).verify(target);
        if (findings.isEmpty()) {
            throw new VecPersistCli.CliException(target + ": holds no state files");
        }
        int checked = 0;
        int bad = 0;
        for (DirectoryVerifier.Finding f : findings) {
            switch (f.status()) {
                case OK -> out.printf("OK      %s  (%s)%n", f.path(), f.detail());
                case DAMAGED -> out.printf("FAILED  %s: %s%n", f.path(), f.detail());
                case STRAY -> out.printf("STRAY   %s: %s%s%n", f.path(), f.detail(),
                        AtomicFile.isTemp(f.path()) ? removedBy(f.path()) : "");
            }
            if (f.status() != DirectoryVerifier.Status.STRAY) {
                checked++;
                bad += f.status() == DirectoryVerifier.Status.DAMAGED ? 1 : 0;
            }
        }
        long strays = findings.size() - checked;
        out.printf("%d file(s) checked, %d damaged%s%n", checked, bad, strays == 0 ? "" : ", " + strays + " stray");
        RecoverCommand.hintIfManifestDamaged(target, out, keyOptions.keys());
        return bad == 0 ? 0 : VecPersistCli.FAILED;
    }
}
