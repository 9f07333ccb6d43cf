package dev.vecpersist.cli;

import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.HistoryPolicy;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.core.crypto.EncryptionKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vecpersist restore DIR --version N | --as-of TIME}: makes an older version's state the latest commit. */
@Command(name = "restore", // no standard --version flag: --version names the version to restore
        description = {"Make a retained version's state the latest commit of a base directory: the version is loaded "
                + "(every file's checksum verified) and committed again as a NEW full version of kind 'restore'. "
                + "Nothing is rewritten or deleted: the versions after it stay in the history, and every version "
                + "retained now is kept (unless --keep-last says otherwise).",
                "Takes the directory's lock (refused while an application owns the directory). "
                        + "'vecpersist history DIR' lists the versions. See docs/history.md."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the version was committed as the latest", "1:no such version, or it could not be loaded or committed"})
final class RestoreCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A base directory.")
    Path dir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--version", paramLabel = "N", description = "The version's number (from 'vecpersist history').")
        Long version;

        @Option(names = "--as-of", paramLabel = "TIME",
                description = "The newest version committed at or before TIME, an ISO-8601 instant or offset "
                        + "date-time, e.g. 2026-12-01T09:30:00Z or 2026-12-01T10:30:00+01:00.")
        String asOf;
    }

    @Option(names = "--keep-last", paramLabel = "N",
            description = "How many versions the directory keeps after the restore (default: every version retained "
                    + "now plus the new one, so nothing is deleted).")
    Integer keepLast;

    @picocli.CommandLine.Mixin
    KeyOptions keyOptions = new KeyOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EncryptionKeys keys = keyOptions.keys();
        List<VersionInfo> retained = HistoryCommand.versions(dir, keys);
        Path base = new StateInspector(Plugins.discover(), keys).committedFiles(dir).get(0);
        List<String> encoding = new StateInspector(Plugins.discover(), keys).encoding(base);
        PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).encryption(keys)
                .format(encoding.get(0)).compression(encoding.get(1))
                .history(HistoryPolicy.keepLast(keepLast != null ? keepLast : retained.size() + 1)).build();
        VectorDB db = Databases.shapedLike(base, keys);
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            long number = target.version != null ? target.version : p.versionAsOf(parse(target.asOf)).number();
            VersionInfo restored = p.restoreVersion(number);
            out.printf("restored version %d (%d entries) as version %d, committed %s; the versions before it stay "
                            + "in the history%n", number, db.size(), restored.number(),
                    Formatting.isoTimestamp(restored.time()));
        }
        return 0;
    }

    static Instant parse(String time) {
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new VecPersistCli.CliException("--as-of '" + time + "' is not an ISO-8601 instant or offset date-time "
                    + "(e.g. 2026-12-01T09:30:00Z)");
        }
    }
}
