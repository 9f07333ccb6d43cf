package dev.vecpersist.store.s3;

import dev.vecpersist.api.SnapshotIds;

/**
 * The object keys of a store: {@code PREFIXsnapshots/ID.data} holds a snapshot's state and
 * {@code PREFIXsnapshots/ID.meta.json} its metadata, the filesystem store's names (snapshots of the
 * reference module, copied in, have {@code ID.json} as data). Only ids of the
 * store's own shape (UUIDs) ever become keys.
 */
final class SnapshotKeys {

    static final String DATA = ".data";
    static final String META = ".meta.json";
    /** The reference module's data objects: {@code ID.json} beside {@code ID.meta.json}. */
    static final String LEGACY_DATA = ".json";
    /** Pieces of differential snapshots: {@code PREFIXsnapshots/pieces/ID.piece}. */
    static final String PIECE = ".piece";

    private final String base;
    private final String pieces;

    /** @param prefix a normalized prefix: empty or ending with {@code /} */
    SnapshotKeys(String prefix) {
        this.base = prefix + "snapshots/";
        this.pieces = base + "pieces/";
    }

    /** Whether a string has the shape of an id the store issues; nothing else becomes a key. */
    static boolean isWellFormedId(String id) {
        return SnapshotIds.isWellFormed(id);
    }

    /** The prefix every key of the store starts with. */
    String base() {
        return base;
    }

    String data(String id) {
        return base + requireId(id) + DATA;
    }

    String meta(String id) {
        return base + requireId(id) + META;
    }

    /** The reference module's data key of a snapshot copied into the bucket. */
    String legacyData(String id) {
        return base + requireId(id) + LEGACY_DATA;
    }

    /** The prefix every piece key starts with. */
    String pieces() {
        return pieces;
    }

    String piece(String id) {
        return pieces + requireId(id) + PIECE;
    }

    /** The id of a piece key of this store, or null for any other key. */
    String idOfPiece(String key) {
        if (key == null || !key.startsWith(pieces) || !key.endsWith(PIECE)) {
            return null;
        }
        String id = key.substring(pieces.length(), key.length() - PIECE.length());
        return isWellFormedId(id) ? id : null;
    }

    /** The id of a reference-module data key ({@code ID.json}), or null for any other key. */
    String idOfLegacyData(String key) {
        return idOf(key, LEGACY_DATA);
    }

    /** The id of a data key of this store, or null for any other key. */
    String idOfData(String key) {
        return idOf(key, DATA);
    }

    /** The id of a metadata key of this store, or null for any other key. */
    String idOfMeta(String key) {
        return idOf(key, META);
    }

    private String idOf(String key, String suffix) {
        if (key == null || !key.startsWith(base) || !key.endsWith(suffix)) {
            return null;
        }
        String id = key.substring(base.length(), key.length() - suffix.length());
        return isWellFormedId(id) ? id : null;
    }

    private static String requireId(String id) {
        if (!isWellFormedId(id)) {
            // callers validate first; this guards the invariant that only store-issued ids become keys
            throw new IllegalArgumentException("not a snapshot id: " + id);
        }
        return id;
    }
}
