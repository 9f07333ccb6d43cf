package dev.vecpersist.cli;

import dev.vecpersist.api.SnapshotListing;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotPiece;
import dev.vecpersist.api.UnreadableSnapshot;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.DirectoryLock;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.RetentionDecision;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.core.SnapshotPruner;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code vecpersist snapshots list|create|restore|delete|prune --dir DIR}. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "Manage the snapshots of a base directory.",
        subcommands = {SnapshotsCommand.ListSnapshots.class, SnapshotsCommand.Create.class, SnapshotsCommand.Restore.class,
                SnapshotsCommand.Delete.class, SnapshotsCommand.Prune.class})
final class SnapshotsCommand implements Runnable {

    private static final String MANIFEST = "MANIFEST.json";

    @Option(names = {"-d", "--dir"}, required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The base directory (its snapshots live in DIR/snapshots).")
    Path dir;

    @Option(names = "--key-file", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Encryption keys, one ID:BASE64KEY per line, the primary key first "
                    + "(default: the " + KeyOptions.VARIABLE + " environment variable, if set).")
    Path keyFile;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A manager over the directory's committed state, loaded. */
    static DatabasePersistence openCommitted(Path dir, VectorDB[] db, Encoding flags, EncryptionKeys keys) {
        java.util.List<Path> committed = new StateInspector(Plugins.discover(), keys).committedFiles(dir);
        db[0] = Databases.shapedLike(committed.get(0), keys);
        DatabasePersistence p = new DatabasePersistence(db[0], flags.options(dir, committed.get(0), keys));
        p.load();
        return p;
    }

    /** {@code --format} and {@code --compression}: unset ones come from the directory's committed state. */
    static final class Encoding {
        @Option(names = {"-f", "--format"}, description = "Format to write (default: the directory's committed state's).")
        String format;

        @Option(names = {"-c", "--compression"}, description = "Codec to write (default: the directory's committed state's).")
        String compression;

        /**
         * Options for a manager over {@code dir}: the flags, else the format and codec of the directory's
         * committed base file, else those of {@code fallback} (a file the command reads anyway); encrypted
         * under {@code keys} when they are given.
         */
        PersistenceOptions options(Path dir, Path fallback, EncryptionKeys keys) {
            PersistenceOptions.Builder b = PersistenceOptions.builder().baseDir(dir).encryption(keys);
            List<String> found = format != null && compression != null ? List.of(format, compression)
                    : detected(dir, fallback, keys);
            return b.format(format != null ? format : found.get(0))
                    .compression(compression != null ? compression : found.get(1)).build();
        }

        private static List<String> detected(Path dir, Path fallback, EncryptionKeys keys) {
            StateInspector inspector = new StateInspector(Plugins.discover(), keys);
            Path source = Files.exists(dir.resolve(MANIFEST)) ? inspector.committedFiles(dir).get(0) : fallback;
            return inspector.encoding(source);
        }
    }

    EncryptionKeys keys() {
        return KeyOptions.load(keyFile);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List snapshots, newest first (read-only: safe while an application writes snapshots).",
                "Snapshots whose metadata cannot be read follow as 'unreadable: FILE: REASON'."})
    static final class ListSnapshots implements Runnable {
        @ParentCommand
        SnapshotsCommand parent;

        @Override
        public void run() {
            PrintWriter out = parent.spec.commandLine().getOut();
            Path snapshots = parent.dir.resolve("snapshots");
            if (!Files.isDirectory(parent.dir)) {
                throw new VecPersistCli.CliException(parent.dir + ": no such directory");
            }
            try (FileSystemSnapshotStore store = new FileSystemSnapshotStore(snapshots, FileOps.SYSTEM)) {
                SnapshotListing listing = store.listing();
                java.util.List<SnapshotMetadata> all = listing.snapshots();
                out.printf("%-36s  %-24s  %-24s  %9s  %5s  %-14s  %-14s  %10s%n", "ID", "NAME", "CREATED", "VECTORS",
                        "DIM", "FORMAT", "KIND", "SIZE");
                for (SnapshotMetadata m : all) {
                    out.printf("%-36s  %-24s  %-24s  %9d  %5d  %-14s  %-14s  %10s%n", m.id(), m.name(),
                            Formatting.isoTimestamp(m.timestamp()), m.vectorCount(), m.dimension(),
                            m.format() + "/" + m.compression(), kind(m), Formatting.humanSize(storedBytes(m)));
                }
                if (all.stream().anyMatch(SnapshotMetadata::isDifferential)) {
                    out.println("(a differential snapshot's size is the sum of its pieces, which it may share with others)");
                }
                out.printf("%d snapshot(s)%n", all.size());
                for (UnreadableSnapshot u : listing.unreadable()) {
                    // not listed above, but its pieces are kept until it is repaired or deleted
                    out.printf("unreadable: %s: %s%n", u.location(), u.reason().replace('\n', ' '));
                }
            } catch (IOException e) {
                throw new VecPersistCli.CliException(snapshots + ": " + e.getMessage());
            }
        }
    }

    /** {@return "full", or "differential/N" for a snapshot made of N pieces} */
    static String kind(SnapshotMetadata m) {
        return m.isDifferential() ? "differential/" + m.pieces().size() : "full";
    }

    /** {@return the bytes a snapshot's restore reads: its file, or the sum of its pieces} */
    static long storedBytes(SnapshotMetadata m) {
        return m.isDifferential() ? m.pieces().stream().mapToLong(SnapshotPiece::size).sum() : m.fileSize();
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Snapshot the directory's committed state (or a given state file).")
    static final class Create implements Runnable {
        @ParentCommand
        SnapshotsCommand parent;

        @Option(names = {"-n", "--name"}, required = true, description = "The snapshot's name (free text).")
        String name;

        @Option(names = "--from", description = "Snapshot this state file instead of the committed state.")
        Path from;

        @Option(names = "--note", description = "A note kept in the snapshot's metadata.")
        String note;

        @picocli.CommandLine.Mixin
        Encoding encoding;

        @Override
        public void run() {
            PrintWriter out = parent.spec.commandLine().getOut();
            VectorDB[] db = new VectorDB[1];
            DatabasePersistence p;
            if (from != null) {
                db[0] = Databases.shapedLike(from, parent.keys());
                p = new DatabasePersistence(db[0], encoding.options(parent.dir, from, parent.keys()));
                p.load(from);
            } else {
                p = openCommitted(parent.dir, db, encoding, parent.keys());
            }
            try (p; ProgressDisplay progress = ProgressDisplay.on(out)) {
                SnapshotMetadata m = p.createSnapshot(name, note == null ? Map.of() : Map.of("note", note), progress);
                progress.close();
                out.printf("created snapshot %s ('%s', %d vectors, %s)%n", m.id(), m.name(), m.vectorCount(),
                        Formatting.humanSize(storedBytes(m)));
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Make a snapshot the directory's committed state (verifies its SHA-256 first).")
    static final class Restore implements Runnable {
        @ParentCommand
        SnapshotsCommand parent;

        @Parameters(paramLabel = "ID", description = "A snapshot id from 'snapshots list'.")
        String id;

        @picocli.CommandLine.Mixin
        Encoding encoding;

        @Override
        public void run() {
            PrintWriter out = parent.spec.commandLine().getOut();
            SnapshotMetadata meta = find(parent.dir, id);
            Path snapshots = parent.dir.resolve("snapshots");
            // our store's data file, or the reference module's
            Path data = Files.exists(snapshots.resolve(meta.id() + ".data")) ? snapshots.resolve(meta.id() + ".data")
                    : snapshots.resolve(meta.id() + ".json");
            VectorDB db = Databases.shapedLike(data, parent.keys());
            try (DatabasePersistence p = new DatabasePersistence(db, encoding.options(parent.dir, data, parent.keys()));
                 ProgressDisplay progress = ProgressDisplay.on(out)) {
                p.restoreSnapshot(id, true, progress);
                progress.close();
                Path file = p.save();
                out.printf("restored snapshot %s ('%s', %d vectors) as the committed state %s%n", id, meta.name(),
                        db.size(), file.getFileName());
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete one snapshot.")
    static final class Delete implements Runnable {
        @ParentCommand
        SnapshotsCommand parent;

        @Parameters(paramLabel = "ID", description = "A snapshot id from 'snapshots list'.")
        String id;

        @Override
        public void run() {
            if (!isUnreadable(parent.dir, id)) {
                find(parent.dir, id); // a snapshot whose metadata is unreadable can be deleted too
            }
            // a write: only with the directory's lock (refused while an application owns the directory)
            try (DirectoryLock lock = DirectoryLock.acquire(parent.dir);
                 FileSystemSnapshotStore store = new FileSystemSnapshotStore(parent.dir.resolve("snapshots"), FileOps.SYSTEM)) {
                store.delete(id);
            } catch (IOException e) {
                throw new VecPersistCli.CliException(parent.dir + ": " + e.getMessage());
            }
            parent.spec.commandLine().getOut().printf("deleted snapshot %s%n", id);
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Delete the snapshots a retention policy does not keep (grandfather-father-son, like "
                    + "restic forget): a snapshot is kept when any --keep rule keeps it.",
                "Periods are calendar periods in --zone; within a period the newest snapshot (in creation order) counts."})
    static final class Prune implements Runnable {
        @ParentCommand
        SnapshotsCommand parent;

        @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
        int keepLast;

        @Option(names = "--keep-daily", paramLabel = "N",
                description = "Keep the newest snapshot of each of the N most recent days with snapshots.")
        int keepDaily;

        @Option(names = "--keep-weekly", paramLabel = "N",
                description = "Keep the newest snapshot of each of the N most recent ISO weeks with snapshots.")
        int keepWeekly;

        @Option(names = "--keep-monthly", paramLabel = "N",
                description = "Keep the newest snapshot of each of the N most recent months with snapshots.")
        int keepMonthly;

        @Option(names = "--keep-yearly", paramLabel = "N",
                description = "Keep the newest snapshot of each of the N most recent years with snapshots.")
        int keepYearly;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
                description = "The zone whose calendar defines days, weeks, months and years, e.g. Europe/Berlin "
                        + "(default: ${DEFAULT-VALUE}).")
        ZoneId zone;

        @Option(names = "--dry-run", description = "Show what would be kept and deleted; delete nothing "
                + "(read-only: safe while an application writes snapshots).")
        boolean dryRun;

        @Override
        public void run() {
            RetentionPolicy policy = policy();
            if (!Files.isDirectory(parent.dir)) {
                throw new VecPersistCli.CliException(parent.dir + ": no such directory");
            }
            Path snapshots = parent.dir.resolve("snapshots");
            // a prune writes: only with the directory's lock (refused while an application owns the directory);
            // a dry run reads, like 'list'
            try (DirectoryLock lock = dryRun ? null : DirectoryLock.acquire(parent.dir);
                 FileSystemSnapshotStore store = new FileSystemSnapshotStore(snapshots, FileOps.SYSTEM)) {
                print(parent.spec.commandLine().getOut(), SnapshotPruner.prune(store, policy, dryRun));
            } catch (IOException e) {
                throw new VecPersistCli.CliException(parent.dir + ": " + e.getMessage());
            }
        }

        private RetentionPolicy policy() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("--keep-last", keepLast);
            counts.put("--keep-daily", keepDaily);
            counts.put("--keep-weekly", keepWeekly);
            counts.put("--keep-monthly", keepMonthly);
            counts.put("--keep-yearly", keepYearly);
            counts.forEach((name, n) -> {
                if (n < 0) {
                    throw new VecPersistCli.CliException(name + " must be 0 or more, not " + n);
                }
            });
            if (counts.values().stream().allMatch(n -> n == 0)) {
                throw new VecPersistCli.CliException("prune needs at least one of " + String.join(", ", counts.keySet())
                        + " above 0 (a policy that keeps nothing would delete every snapshot)");
            }
            return RetentionPolicy.builder().keepLast(keepLast).keepDaily(keepDaily).keepWeekly(keepWeekly)
                    .keepMonthly(keepMonthly).keepYearly(keepYearly).zone(zone).build();
        }

        private void print(PrintWriter out, RetentionDecision decision) {
            String action = dryRun ? "would delete" : "deleted";
            // times in the policy's zone, so they read like the periods in the reasons
            DateTimeFormatter local = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT).withZone(zone);
            out.printf("%-12s  %-36s  %-24s  %-25s  %s%n", "ACTION", "ID", "NAME", "CREATED", "REASON");
            for (RetentionDecision.Verdict v : decision.verdicts()) {
                SnapshotMetadata m = v.snapshot();
                out.printf("%-12s  %-36s  %-24s  %-25s  %s%n", v instanceof RetentionDecision.Kept ? "keep" : action,
                        m.id(), m.name(), local.format(m.timestamp()), v.explanation());
            }
            out.printf(dryRun ? "%d kept, %d to delete (dry run: nothing was deleted)%n" : "%d kept, %d deleted%n",
                    decision.kept().size(), decision.deleted().size());
        }
    }

    private static boolean isUnreadable(Path dir, String id) {
        try (FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir.resolve("snapshots"), FileOps.SYSTEM)) {
            return store.listing().unreadable().stream().anyMatch(u -> u.id().equals(id));
        } catch (IOException e) {
            throw new VecPersistCli.CliException(dir + ": " + e.getMessage());
        }
    }

    private static SnapshotMetadata find(Path dir, String id) {
        try (FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir.resolve("snapshots"), FileOps.SYSTEM)) {
            for (SnapshotMetadata m : store.list()) {
                if (m.id().equals(id)) {
                    return m;
                }
            }
        } catch (IOException e) {
            throw new VecPersistCli.CliException(dir + ": " + e.getMessage());
        }
        throw new VecPersistCli.CliException("no snapshot with id '" + id + "' in " + dir.resolve("snapshots"));
    }
}
