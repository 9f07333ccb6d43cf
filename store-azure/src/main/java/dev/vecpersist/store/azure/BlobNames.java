package dev.vecpersist.store.azure;

import dev.vecpersist.api.SnapshotIds;

/**
 * The blob names of a store: {@code PREFIXsnapshots/ID.data} holds a snapshot's state and
 * {@code PREFIXsnapshots/ID.meta.json} its metadata, the filesystem store's names (snapshots of the
 * reference module, copied in, have {@code ID.json} as data). Only ids of the store's own shape
 * (UUIDs) ever become names, so no id can reach another blob.
 */
final class BlobNames {

    static final String DATA = ".data";
    static final String META = ".meta.json";
    static final String LEGACY_DATA = ".json";
    /** Pieces of differential snapshots: {@code PREFIXsnapshots/pieces/ID.piece}. */
    static final String PIECE = ".piece";

    private final String base;

    /** @param prefix a normalized prefix: empty or ending with {@code /} */
    BlobNames(String prefix) {
        this.base = prefix + "snapshots/";
    }

    static boolean isWellFormedId(String id) {
        return SnapshotIds.isWellFormed(id);
    }

    String base() {
        return base;
    }

    String data(String id) {
        return name(id, DATA);
    }

    String meta(String id) {
        return name(id, META);
    }

    /** The prefix every piece name starts with. */
    String pieces() {
        return base + "pieces/";
    }

    String piece(String id) {
        if (!isWellFormedId(id)) {
            throw new IllegalArgumentException("not a piece id: " + id);
        }
        return pieces() + id + PIECE;
    }

    /** The id of a piece blob name of this store, or null for any other name. */
    String idOfPiece(String name) {
        if (name == null || !name.startsWith(pieces()) || !name.endsWith(PIECE)) {
            return null;
        }
        String id = name.substring(pieces().length(), name.length() - PIECE.length());
        return isWellFormedId(id) ? id : null;
    }

    String legacyData(String id) {
        return name(id, LEGACY_DATA);
    }

    /** The id a blob name of this store belongs to, with the given suffix, or null. */
    String idOf(String name, String suffix) {
        if (name == null || !name.startsWith(base) || !name.endsWith(suffix)) {
            return null;
        }
        String id = name.substring(base.length(), name.length() - suffix.length());
        return isWellFormedId(id) ? id : null;
    }

    private String name(String id, String suffix) {
        if (!isWellFormedId(id)) {
            // callers validate first; this guards the invariant that only store-issued ids become names
            throw new IllegalArgumentException("not a snapshot id: " + id);
        }
        return base + id + suffix;
    }
}
