package dev.vecpersist.cli;

import dev.vecpersist.core.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vecpersist audit verify DIR}: checks the audit log's hash chain. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with a base directory's audit log.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the hash chain of DIR/audit.log (and its rotated audit-NNNNNN.log files).",
                    "Reports the first line that was edited, removed or moved, and a torn last line."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the chain is intact (a torn last line is only reported)", "1:a line was tampered with"})
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A base directory written with auditLog(true).")
        Path dir;

        @Mixin
        KeyOptions keyOptions = new KeyOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                throw new VecPersistCli.CliException(dir + ": no such directory");
            }
            PrintWriter out = spec.commandLine().getOut();
            AuditVerifier.Report r = new AuditVerifier(keyOptions.keys()).verify(dir);
            if (r.tornTail() != null) {
                out.printf("note: %s%n", r.tornTail());
            }
            if (!r.intact()) {
                out.printf("TAMPERED  %s%n", r.problem());
                return VecPersistCli.FAILED;
            }
            out.printf("OK  %d line(s) in %d file(s), the chain is intact%n", r.lines(), r.files().size());
            return 0;
        }
    }
}
