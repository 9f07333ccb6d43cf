package dev.vecpersist.core;

import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.EncryptionKeys;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.core.io.FileOps;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the intact states of a base directory whose manifest is damaged, and rebuilds a manifest
 * from the newest intact chain (a full base and the unbroken run of deltas after it). Nothing is
 * deleted: the damaged manifest is kept as {@code MANIFEST.json.corrupt-<time>}. Thread-safe.
 *
 * <pre>{@code
 * ManifestRecovery recovery = new ManifestRecovery();
 * recovery.scan(dir).forEach(c -> System.out.println(c.file() + " " + (c.intact() ? "intact" : c.problem())));
 * List<Path> chain = recovery.rebuild(dir); // takes the directory lock
 * }</pre>
 */
public final class ManifestRecovery {

    /**
     * One state file found in the directory.
     *
     * @param file       the file
     * @param generation the generation in its name
     * @param delta      its delta number, 0 for a full base
     * @param report     what it holds when it verified completely, else null
     * @param problem    why it did not verify, else null
     */
    public record Candidate(Path file, long generation, int delta, StateInspector.Report report, String problem) {
        /** {@return whether the file verified completely} */
        public boolean intact() {
            return report != null;
        }
    }

    private final StateInspector inspector;
    /** Decrypts the state files and seals the rebuilt manifest, or null without keys. */
    private final Encryption encryption;

    /** Recovery with the plugins on the classpath. */
    public ManifestRecovery() {
        this(Plugins.discover());
    }

    /**
     * Recovery with the given plugins.
     *
     * @param plugins the formats and codecs to verify state files with
     */
    public ManifestRecovery(Plugins plugins) {
        this(plugins, null);
    }

    /**
     * Recovery of an encrypted directory: state files are decrypted to be verified, and the rebuilt
     * manifest is sealed under the primary key (a manifest whose seal fails counts as damaged).
     *
     * @param plugins the formats and codecs to verify state files with
     * @param keys    the directory's keys, or null when it is not encrypted
     */
    public ManifestRecovery(Plugins plugins, EncryptionKeys keys) {
        this.inspector = new StateInspector(plugins, keys);
        this.encryption = keys == null ? null : new Encryption(keys);
    }

    /**
     * Verifies every state file of {@code dir} (regular files named like a manager's states).
     *
     * @param dir a base directory
     * @return the files, oldest generation first, each intact or with its problem
     * @throws PersistenceException when the directory cannot be listed
     */
    public List<Candidate> scan(Path dir) {
        List<Candidate> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "state-*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                long generation = DamagedManifest.generationOf(name);
                if (generation < 0 || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                StateInspector.Report report = null;
                String problem = null;
                try {
                    report = inspector.verify(f);
                } catch (PersistenceException e) {
                    problem = e.getMessage();
                }
                all.add(new Candidate(f, generation, DamagedManifest.deltaOf(name), report, problem));
            }
        } catch (IOException e) {
            throw new PersistenceException("cannot list the directory: " + e.getMessage(), dir, e);
        }
        all.sort(Comparator.comparingLong(Candidate::generation).thenComparingInt(Candidate::delta));
        return all;
    }

    /**
     * The newest chain that loads: the highest-generation intact full base, then its deltas 1, 2, ...
     * as long as each is intact and matches the base's dimension and metric.
     *
     * @param candidates what {@link #scan} found
     * @return the chain, base first; empty when no intact base exists
     */
    public List<Candidate> newestIntactChain(List<Candidate> candidates) {
        return intactChain(candidates, 0);
    }

    /**
     * The chain of one generation: its intact full base, then its deltas 1, 2, ... as long as each
     * is intact and matches the base's dimension and metric.
     *
     * @param candidates what {@link #scan} found
     * @param generation the base's generation, or 0 for the newest with an intact base
     * @return the chain, base first; empty when that base is missing or damaged
     */
    public List<Candidate> intactChain(List<Candidate> candidates, long generation) {
        for (int i = candidates.size() - 1; i >= 0; i--) {
            Candidate base = candidates.get(i);
            if (generation > 0 && base.generation() != generation) {
                continue;
            }
            if (base.delta() != 0 || !base.intact() || base.report().header().kind() != StateHeader.Kind.FULL) {
                continue;
            }
            List<Candidate> chain = new ArrayList<>(List.of(base));
            for (int j = i + 1; j < candidates.size(); j++) {
                Candidate d = candidates.get(j);
                if (d.generation() != base.generation() || d.delta() != chain.size() || !d.intact()
                        || !sameShape(base.report().header(), d.report().header())
                        || d.report().header().kind() != StateHeader.Kind.DELTA) {
                    break;
                }
                chain.add(d);
            }
            return chain;
        }
        return List.of();
    }

    /**
     * Rebuilds {@code MANIFEST.json} from the newest intact chain; see {@link #rebuild(Path, long)}.
     *
     * @param dir a base directory whose manifest is damaged or missing
     * @return the files of the new manifest, base first
     */
    public List<Path> rebuild(Path dir) {
        return rebuild(dir, 0);
    }

    /**
     * Rebuilds {@code MANIFEST.json} from an intact chain, holding the directory's lock (so never
     * while a manager owns it). The previous manifest is kept aside, never deleted: a damaged one
     * as {@code MANIFEST.json.corrupt-<time>}; an intact one is replaced only when a generation is
     * named, and kept as {@code MANIFEST.json.replaced-<time>}. While either is kept, managers
     * remove no state file as a leftover.
     *
     * @param dir        a base directory
     * @param generation the generation to rebuild from, or 0 for the newest intact one
     * @return the files of the new manifest, base first
     * @throws PersistenceException when the directory is in use, its manifest is intact and no
     *                              generation is named, the chain is missing or damaged, or writing fails
     */
    public List<Path> rebuild(Path dir, long generation) {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            Path manifestFile = dir.resolve(Manifest.FILE_NAME);
            boolean present = Files.exists(manifestFile, LinkOption.NOFOLLOW_LINKS);
            boolean intact = present && readable(manifestFile);
            if (intact && generation <= 0) {
                throw new PersistenceException("the manifest is intact: nothing to recover (name a generation to "
                        + "replace it)", manifestFile, null);
            }
            List<Candidate> chain = intactChain(scan(dir), generation);
            if (chain.isEmpty()) {
                throw new PersistenceException(generation > 0 ? "generation " + generation + " has no intact full state"
                        : "no intact full state to rebuild a manifest from", dir, null);
            }
            List<Manifest.FileRef> refs = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (Candidate c : chain) {
                StateInspector.Report r = c.report();
                refs.add(new Manifest.FileRef(c.file().getFileName().toString(), r.format(), r.compression(), r.checksum(),
                        r.header().entryCount(), r.header().deletionCount(), r.fileSize()));
                files.add(c.file());
            }
            // a rebuilt manifest starts a new history: the versions a damaged one retained are not known
            Manifest rebuilt = new Manifest(chain.get(0).generation(), refs.get(0), refs.subList(1, refs.size()),
                    VersionHistory.only(chain.get(0).generation(), refs.size() - 1, Instant.now()));
            if (present) {
                DamagedManifest.moveAside(FileOps.SYSTEM, dir, Instant.now(), intact);
            }
            rebuilt.write(FileOps.SYSTEM, dir, encryption);
            return files;
        } catch (IOException e) {
            throw new PersistenceException("rebuilding the manifest failed: " + e.getMessage(), dir, e);
        }
    }

    private boolean readable(Path manifestFile) {
        try {
            Manifest.read(FileOps.SYSTEM, manifestFile, encryption, false);
            return true;
        } catch (PersistenceException e) {
            return false;
        }
    }

    private static boolean sameShape(StateHeader a, StateHeader b) {
        return a.dimension() == b.dimension() && a.metric() == b.metric();
    }
}
