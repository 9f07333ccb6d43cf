package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A version asked for by number or time is not among the versions a base directory retains
 * (never committed, or dropped by the {@link HistoryPolicy}). Nothing was loaded or changed.
 */
public final class VersionNotFoundException extends PersistenceException {

    private static final long serialVersionUID = 1L;

    /** The version number asked for, or -1 when a time was. */
    private final long requested;
    /** The time asked for, or null when a number was. */
    private final transient Instant asOf;

    private VersionNotFoundException(String message, Path manifest, long requested, Instant asOf) {
        super(message, manifest, null);
        this.requested = requested;
        this.asOf = asOf;
    }

    static VersionNotFoundException number(Path manifest, long number, List<VersionHistory.Version> retained) {
        return new VersionNotFoundException("version " + number + " is not retained; " + describe(retained), manifest,
                number, null);
    }

    static VersionNotFoundException asOf(Path manifest, Instant time, List<VersionHistory.Version> retained) {
        return new VersionNotFoundException("no retained version was committed at or before " + time + "; "
                + describe(retained), manifest, -1, time);
    }

    private static String describe(List<VersionHistory.Version> retained) {
        VersionHistory.Version first = retained.get(0);
        VersionHistory.Version last = retained.get(retained.size() - 1);
        return first == last ? "the only one retained is version " + first.number() + " (" + first.time() + ")"
                : "retained are versions " + first.number() + " (" + first.time() + ") to " + last.number()
                + " (" + last.time() + ")";
    }

    /** {@return the version number asked for, or -1 when a time was asked for} */
    public long requestedVersion() {
        return requested;
    }

    /** {@return the time asked for, or null when a version number was asked for} */
    public Instant requestedTime() {
        return asOf;
    }
}
