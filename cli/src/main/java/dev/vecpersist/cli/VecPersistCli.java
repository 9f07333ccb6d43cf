package dev.vecpersist.cli;

import dev.vecpersist.api.PersistenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

/**
 * The {@code vecpersist} command: {@code demo}, {@code inspect}, {@code verify}, {@code convert}, {@code audit},
 * {@code snapshots}, {@code recover}, {@code history} and {@code restore}. Bad input gives a one-line error and a non-zero exit code; {@code --verbose}
 * adds the stack trace.
 */
@Command(name = "vecpersist", mixinStandardHelpOptions = true, versionProvider = VecPersistCli.Version.class,
        description = "Save, load, inspect, verify and convert VecPersist vector-database state files.",
        subcommands = {DemoCommand.class, InspectCommand.class, VerifyCommand.class, ConvertCommand.class,
                SnapshotsCommand.class, RecoverCommand.class, HistoryCommand.class, RestoreCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class VecPersistCli implements Runnable {

    /** Exit code for bad input or a failed operation. */
    public static final int FAILED = 1;
    /** Exit code for a usage error. */
    public static final int USAGE = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given streams and returns its exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        VecPersistCli root = new VecPersistCli();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("vecpersist: " + describe(e));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            err.println("vecpersist: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        return code;
    }

    /** One line saying what went wrong, without the exception's class unless it helps. */
    static String describe(Throwable e) {
        if (e instanceof PersistenceException || e instanceof IllegalArgumentException || e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A failure the command itself reports (a wrong argument value, a failed check). */
    static final class CliException extends RuntimeException {
        CliException(String message) {
            super(message);
        }
    }

    /** The version from the jar's manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = VecPersistCli.class.getPackage().getImplementationVersion();
            return new String[] {"vecpersist " + (v == null ? "development" : v) + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
