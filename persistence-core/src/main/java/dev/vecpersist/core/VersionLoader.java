package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Lists the versions a base directory's manifest retains and loads one of them, all or nothing
 * (through the {@link ChainLoader}, which verifies every file against the checksum the manifest
 * recorded). For a writer it keeps the {@link ChainSaver} truthful: only after loading the latest
 * version does the database hold the committed chain (so a delta may follow); after an older one it
 * holds no commit, and the next incremental save is a full one. For a read-only manager it makes the
 * {@link ChainFollower} forget what it held, so that its next refresh loads the latest in full. Not
 * thread-safe: the manager calls it under its operation lock.
 */
final class VersionLoader {

    private final Path dir;
    private final Supplier<Optional<Manifest>> manifest;
    private final ChainLoader loader;
    /** The writer's commit point and saver, or null for a read-only manager. */
    private final CommitPoint commits;
    private final ChainSaver saves;
    /** The writer's known committed states (a version loads incrementally from one), or null for a read-only manager. */
    private final CommittedStates states;
    /** The read-only manager's follower, or null for a writer. */
    private final ChainFollower follower;

    private VersionLoader(Path dir, Supplier<Optional<Manifest>> manifest, ChainLoader loader, CommitPoint commits,
                          ChainSaver saves, CommittedStates states, ChainFollower follower) {
        this.dir = dir;
        this.manifest = manifest;
        this.loader = loader;
        this.commits = commits;
        this.saves = saves;
        this.states = states;
        this.follower = follower;
    }

    /** For the manager that owns {@code dir}: the manifest is read from disk, as {@code load()} reads it. */
    static VersionLoader writer(Path dir, CommitPoint commits, ChainLoader loader, ChainSaver saves,
                                CommittedStates states) {
        return new VersionLoader(dir, () -> java.nio.file.Files.exists(dir.resolve(Manifest.FILE_NAME))
                ? Optional.of(commits.read(false)) : Optional.empty(), loader, commits, saves, states, null);
    }

    /** For a read-only manager reading {@code dir} in place. */
    static VersionLoader replica(Path dir, ChainSource source, ChainLoader loader, ChainFollower follower) {
        return new VersionLoader(dir, source::readManifest, loader, null, null, null, follower);
    }

    /** {@return the retained versions, oldest first; empty before the first commit} */
    List<VersionInfo> list() {
        return manifest.get().map(m -> m.history().versions().stream().map(v -> m.history().info(v, m.chain())).toList())
                .orElse(List.of());
    }

    /** {@return the newest retained version committed at or before {@code time}} */
    VersionInfo asOf(Instant time) {
        Manifest m = latest();
        VersionHistory.Version v = m.history().asOf(time)
                .orElseThrow(() -> VersionNotFoundException.asOf(manifestFile(), time, m.history().versions()));
        return m.history().info(v, m.chain());
    }

    /**
     * Replaces the database with version {@code number}'s state; the database is unchanged when it fails.
     * A writer whose database derives from a version of the same base up to {@code number} reverts to it
     * and reads only the deltas between ({@link CommittedStates#load}); else the chain is read in full.
     */
    void load(long number, ProgressListener listener) {
        Manifest m = latest();
        VersionHistory.Version v = m.history().find(number)
                .orElseThrow(() -> VersionNotFoundException.number(manifestFile(), number, m.history().versions()));
        long sequence = states != null ? states.load(m.atVersion(v), listener)
                : loader.loadChain(dir, m.atVersion(v), listener);
        if (follower != null) {
            follower.forget();
        } else if (v.equals(m.history().latest())) {
            commits.adopt(m); // the database holds the committed chain again: a delta may follow
            saves.loaded(sequence);
        } else {
            saves.forgetSavedSequence(); // not the latest commit: the next incremental save is a full one
        }
    }

    /**
     * Loads version {@code number}, then commits that state as a new full version (the state the
     * database holds is then known under that version too); returns it.
     */
    VersionInfo restore(long number, ProgressListener listener) {
        load(number, listener);
        states.save(() -> saves.saveFull(listener, VersionInfo.Kind.RESTORE));
        Manifest m = commits.current();
        return m.history().info(m.history().latest(), m.chain());
    }

    private Manifest latest() {
        return manifest.get().orElseThrow(() -> new PersistenceException("no manifest: nothing has been saved here",
                manifestFile(), null));
    }

    private Path manifestFile() {
        return dir.resolve(Manifest.FILE_NAME);
    }
}
