package dev.vecpersist.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the database's content derives from, for restores: it held exactly the state made of
 * {@code pieces} (a snapshot, or a committed chain's base and deltas) with {@code fingerprint}
 * when the database was marked at {@code markSequence} ({@link dev.vecpersist.api.PriorStateTracking});
 * what changed since is what the database tracked from that mark. The same content may be known
 * under other names too ({@code aliases}): a snapshot taken, or a version saved, while nothing had
 * changed since the mark.
 *
 * @param pieces       the state's identity, one string per piece read in order (see {@link RestorePlanner})
 * @param aliases      other identities of the same content
 * @param fingerprint  the {@link dev.vecpersist.api.StateFingerprint} of that state
 * @param markSequence what {@link dev.vecpersist.api.PriorStateTracking#markPriorState(long)} returned
 */
record KnownState(List<String> pieces, List<List<String>> aliases, String fingerprint, long markSequence) {
    KnownState {
        pieces = List.copyOf(pieces);
        aliases = aliases.stream().map(List::copyOf).toList();
        java.util.Objects.requireNonNull(fingerprint, "fingerprint");
    }

    KnownState(List<String> pieces, String fingerprint, long markSequence) {
        this(pieces, List.of(), fingerprint, markSequence);
    }

    /** {@return every identity of the state: {@link #pieces} first, then the aliases} */
    List<List<String>> identities() {
        List<List<String>> all = new ArrayList<>();
        all.add(pieces);
        all.addAll(aliases);
        return all;
    }

    /** {@return this state known under {@code other} too} */
    KnownState alsoAs(List<String> other) {
        List<List<String>> more = new ArrayList<>(aliases);
        more.add(other);
        return new KnownState(pieces, more, fingerprint, markSequence);
    }

    /** {@return whether one of its identities is a snapshot} */
    boolean isSnapshot() {
        return identities().stream().anyMatch(RestorePlanner::isSnapshot);
    }
}
