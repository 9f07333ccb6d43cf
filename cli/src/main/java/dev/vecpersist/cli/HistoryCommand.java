package dev.vecpersist.cli;

import dev.vecpersist.core.CommitVersion;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.core.crypto.EncryptionKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vecpersist history DIR}: the committed versions a base directory retains, as a table. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List the committed versions a base directory retains (its history policy decides how many), "
                + "oldest first: number, commit time, kind, entries and deletions written, size, and the chain "
                + "(generation+deltas) that loads it.",
                "Read-only: safe while an application writes the directory. See docs/history.md."})
final class HistoryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A base directory.")
    Path dir;

    @picocli.CommandLine.Mixin
    KeyOptions keyOptions = new KeyOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<VersionInfo> versions = versions(dir, keyOptions.keys());
        out.printf("%8s  %-24s  %-10s  %9s  %9s  %10s  %s%n", "VERSION", "COMMITTED", "KIND", "ENTRIES", "DELETIONS",
                "SIZE", "CHAIN");
        for (VersionInfo v : versions) {
            out.printf("%8d  %-24s  %-10s  %9d  %9d  %10s  %s%n", v.number(), Formatting.isoTimestamp(v.time()),
                    v.kind().name().toLowerCase(Locale.ROOT), v.entries(), v.deletions(), Formatting.humanSize(v.bytes()),
                    chain(v.commit()));
        }
        out.printf("%d version(s); the last is the latest commit%n", versions.size());
        return 0;
    }

    private static String chain(CommitVersion c) {
        return "generation " + c.generation() + (c.deltas() == 0 ? "" : " + " + c.deltas() + " delta(s)");
    }

    /** The versions {@code dir} retains, read through a read-only manager (no lock, nothing written). */
    static List<VersionInfo> versions(Path dir, EncryptionKeys keys) {
        if (!Files.isDirectory(dir)) {
            throw new VecPersistCli.CliException(dir + ": no such directory");
        }
        List<Path> committed = new StateInspector(Plugins.discover(), keys).committedFiles(dir);
        VectorDB db = Databases.shapedLike(committed.get(0), keys);
        try (DatabasePersistence p = DatabasePersistence.openReadOnly(db,
                PersistenceOptions.builder().baseDir(dir).encryption(keys).build())) {
            return p.listVersions();
        }
    }
}
