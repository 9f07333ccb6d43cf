package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;

import java.time.Instant;
import java.util.List;

/**
 * Point-in-time recovery: the committed versions of a base directory, and loading any one the
 * {@link HistoryPolicy} ({@link PersistenceOptions#history()}) retains. Every commit is a version: a
 * full save, an incremental save, a compaction, a restore. See docs/history.md.
 *
 * <pre>{@code
 * PersistenceOptions opts = PersistenceOptions.builder().baseDir(dir).history(HistoryPolicy.keepLast(50)).build();
 * try (DatabasePersistence p = new DatabasePersistence(db, opts)) {
 *     p.listVersions().forEach(v -> System.out.println(v.number() + " " + v.time() + " " + v.kind()));
 *     p.loadAsOf(Instant.parse("2026-12-01T09:00:00Z"));   // the state committed last at or before then
 *     p.restoreVersion(42);                                 // version 42's state, committed as the latest
 * }
 * }</pre>
 *
 * <p>A load of a version is all or nothing and verifies every file's checksum; the database is
 * unchanged when it fails. After loading a version other than the latest, the database no longer
 * holds the latest commit: the next incremental save is a full save, committed as a new version (it
 * never writes a delta over a base the database does not hold); older versions stay as the policy says.
 *
 * <p>On a read-only manager ({@link DatabasePersistence#openReadOnly}) versions may be listed and
 * loaded (reading only); it then holds no committed version of the directory, so its next
 * {@code refresh()} loads the latest in full. Loading a version while it follows the directory is
 * refused (the next poll would replace it), and a remote replica ({@link DatabasePersistence#followRemote})
 * has no history: its cache holds the latest chain only.
 */
public interface VersionOperations {

    /**
     * Lists the versions the directory retains, oldest first; the last is the latest commit.
     *
     * @return the versions, empty before the first commit
     * @throws dev.vecpersist.api.PersistenceException when the manifest cannot be read
     * @throws IllegalStateException                   on a remote replica
     */
    List<VersionInfo> listVersions();

    /**
     * Replaces the database with the state of version {@code number}; see {@link #loadVersion(long, ProgressListener)}.
     *
     * @param number a number from {@link #listVersions()}
     * @throws VersionNotFoundException when no retained version has that number
     */
    default void loadVersion(long number) {
        loadVersion(number, ProgressListener.NONE);
    }

    /**
     * Replaces the database with the state of version {@code number}, all or nothing, verifying the
     * checksum of every file read.
     *
     * @param number   a number from {@link #listVersions()}
     * @param listener receives progress reports
     * @throws VersionNotFoundException                      when no retained version has that number
     * @throws dev.vecpersist.api.CorruptedStateException    when a file of the version is damaged (it names the file)
     * @throws dev.vecpersist.api.PersistenceException       when nothing was committed or a file is missing or unreadable;
     *                                                       the database is then unchanged
     * @throws IllegalStateException                         on a replica that follows, or a remote replica
     */
    void loadVersion(long number, ProgressListener listener);

    /**
     * Replaces the database with the newest retained version committed at or before {@code time}.
     *
     * @param time a point in time (on {@link PersistenceOptions#clock()})
     * @throws VersionNotFoundException when every retained version is younger than {@code time}
     * @throws dev.vecpersist.api.PersistenceException when the version cannot be loaded (as {@link #loadVersion(long)})
     */
    default void loadAsOf(Instant time) {
        loadVersion(versionAsOf(time).number());
    }

    /**
     * The version {@link #loadAsOf(Instant)} loads: the newest retained version committed at or before {@code time}.
     *
     * @param time a point in time (on {@link PersistenceOptions#clock()})
     * @return the version
     * @throws VersionNotFoundException when every retained version is younger than {@code time}
     * @throws dev.vecpersist.api.PersistenceException when the manifest cannot be read
     */
    VersionInfo versionAsOf(Instant time);

    /**
     * Makes version {@code number}'s state the latest commit: loads it (as {@link #loadVersion(long)}),
     * then commits it as a new full version of kind {@link VersionInfo.Kind#RESTORE}. The versions
     * after {@code number} stay, as the history policy says; nothing is rewritten.
     *
     * @param number a number from {@link #listVersions()}
     * @return the new version
     * @throws VersionNotFoundException when no retained version has that number
     * @throws dev.vecpersist.api.PersistenceException when loading fails (the database is then unchanged) or
     *                                                 committing fails (the database then holds the version's
     *                                                 state); either way the previous commit stays the latest
     * @throws IllegalStateException   on a read-only manager
     */
    VersionInfo restoreVersion(long number);
}
