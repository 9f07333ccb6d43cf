package dev.vecpersist.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides how to restore a target state: incrementally (revert the database to the {@link KnownState},
 * then apply only the target's pieces after the known ones) or in full. A state is named by the
 * ordered list of pieces it is read from, each with its identity: a snapshot is one piece
 * ({@link #snapshot}); a committed chain is its base then its deltas ({@link #committed}), each named by
 * file and content checksum. A target of the known state's lineage lists the known pieces first; any
 * other target is restored in full. A differential snapshot is its base piece then its delta pieces
 * ({@link #pieces}); a committed version is the chain's base and its first deltas.
 */
final class RestorePlanner {

    private RestorePlanner() {
    }

    /**
     * How to restore.
     *
     * @param incremental whether to revert to the known state and apply {@code apply}
     * @param apply       the target's pieces after the known ones, in order (empty: revert only)
     * @param fromIndex   the index in the target of the first piece of {@code apply}
     * @param reason      why, for the log and the audit
     */
    record Plan(boolean incremental, List<String> apply, int fromIndex, String reason) {
        static Plan full(String reason) {
            return new Plan(false, List.of(), -1, reason);
        }
    }

    /**
     * {@return the plan for restoring {@code target} over a database that derives from {@code known}
     * (null: unknown): incremental when one of the known state's identities is the target or its
     * beginning (the one leaving the fewest pieces to read)}
     */
    static Plan plan(KnownState known, List<String> target) {
        if (known == null) {
            return Plan.full("the database's state is not a known version or snapshot");
        }
        List<String> best = null;
        for (List<String> have : known.identities()) {
            boolean prefix = target.size() >= have.size() && target.subList(0, have.size()).equals(have);
            if (prefix && (best == null || have.size() > best.size())) {
                best = have;
            }
        }
        if (best == null) {
            return Plan.full("the target is not of the lineage of the state held (" + describe(known.pieces()) + ")");
        }
        List<String> apply = List.copyOf(target.subList(best.size(), target.size()));
        return new Plan(true, apply, best.size(), apply.isEmpty() ? "revert to " + describe(best)
                : "revert to " + describe(best) + ", then apply " + apply.size() + " pieces");
    }

    /** {@return whether {@code pieces} name a snapshot (a full one, or a differential one's pieces)} */
    static boolean isSnapshot(List<String> pieces) {
        return !pieces.isEmpty() && (pieces.get(0).startsWith("snapshot/") || pieces.get(0).startsWith("piece/"));
    }

    /**
     * {@return the pieces of a differential snapshot: its base piece, then its delta pieces, each named by
     * its id and SHA-256}; a snapshot that extends another lists that one's pieces first
     */
    static List<String> pieces(List<dev.vecpersist.api.SnapshotPiece> pieces) {
        return pieces.stream().map(p -> "piece/" + p.id() + "@" + p.sha256()).toList();
    }

    /** {@return the pieces of {@code snapshot}, full ({@link #snapshot}) or differential ({@link #pieces})} */
    static List<String> identity(dev.vecpersist.api.SnapshotMetadata snapshot) {
        return snapshot.isDifferential() ? pieces(snapshot.pieces()) : snapshot(snapshot.id());
    }

    /** {@return the pieces of the snapshot {@code id}} */
    static List<String> snapshot(String id) {
        return List.of("snapshot/" + id);
    }

    /** {@return the pieces of the committed chain {@code m}: its base, then its deltas} */
    static List<String> committed(Manifest m) {
        List<String> pieces = new ArrayList<>();
        pieces.add(piece(m.base()));
        m.deltas().forEach(d -> pieces.add(piece(d)));
        return pieces;
    }

    private static String piece(Manifest.FileRef ref) {
        return "chain/" + ref.file() + "@" + ref.checksum();
    }

    private static String describe(List<String> pieces) {
        return pieces.size() == 1 ? pieces.get(0) : pieces.get(0) + " + " + (pieces.size() - 1) + " deltas";
    }
}
