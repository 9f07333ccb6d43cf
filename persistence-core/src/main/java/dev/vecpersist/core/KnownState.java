package dev.vecpersist.core;

import java.util.List;

/**
 * What the database's content derives from, for restores: it held exactly the state made of
 * {@code pieces} (a snapshot, or a committed chain's base and deltas) with {@code fingerprint}
 * when the database was marked at {@code markSequence} ({@link dev.vecpersist.api.PriorStateTracking});
 * what changed since is what the database tracked from that mark.
 *
 * @param pieces       the target's identity, one string per piece read in order (see {@link RestorePlanner})
 * @param fingerprint  the {@link dev.vecpersist.api.StateFingerprint} of that state
 * @param markSequence what {@link dev.vecpersist.api.PriorStateTracking#markPriorState(long)} returned
 */
record KnownState(List<String> pieces, String fingerprint, long markSequence) {
    KnownState {
        pieces = List.copyOf(pieces);
        java.util.Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
