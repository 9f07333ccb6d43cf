package dev.vecpersist.core;

import java.time.Instant;

/**
 * One committed version of a base directory, as {@link VersionOperations#listVersions()} lists it.
 * Every commit is a version: a full save, an incremental (delta) save, a compaction, a restore.
 *
 * @param number   its number: 1 for the first commit, one more for each commit after it
 * @param time     when it was committed, on {@link PersistenceOptions#clock()} (for a directory
 *                 written before versions were recorded: the manifest file's modification time)
 * @param kind     what wrote it
 * @param entries  the entries its commit wrote: every entry of the state for a full version, the
 *                 inserted or updated ones for a delta
 * @param deletions the deletions its commit wrote (0 for a full version)
 * @param bytes    the size on disk of the file its commit wrote
 * @param commit   its chain: the base's generation and the number of deltas replayed over it
 */
public record VersionInfo(long number, Instant time, Kind kind, long entries, long deletions, long bytes,
                          CommitVersion commit) {

    /** What wrote a version. */
    public enum Kind {
        /** A full save ({@code save()}, or an incremental save that had to write everything). */
        FULL,
        /** An incremental save: one more delta over the version before it. */
        DELTA,
        /** An incremental save that wrote a new base because the chain of deltas grew too long. */
        COMPACTION,
        /** A restore of an older version, committed as a new full version ({@code vecpersist restore}). */
        RESTORE
    }
}
