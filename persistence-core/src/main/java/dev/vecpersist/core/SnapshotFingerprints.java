package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a snapshot's {@link dev.vecpersist.api.StateFingerprint} is kept: in its stored metadata under
 * the reserved key {@value #KEY}, so that every {@link dev.vecpersist.api.SnapshotStore} keeps it without
 * a change to the SPI. The manager hides the key from what it hands users ({@link #hidden}) and refuses
 * it in their metadata. A snapshot without it (taken before it existed) restores in full.
 */
final class SnapshotFingerprints {

    /** The reserved metadata key. */
    static final String KEY = "vecpersist.stateFingerprint";

    private SnapshotFingerprints() {
    }

    /** {@return the user's metadata with the fingerprint added} */
    static Map<String, Object> with(Map<String, Object> userMetadata, String fingerprint) {
        checkNotReserved(userMetadata);
        Map<String, Object> all = new LinkedHashMap<>(userMetadata);
        all.put(KEY, fingerprint);
        return all;
    }

    /** Refuses user metadata that uses the reserved key. */
    static void checkNotReserved(Map<String, Object> userMetadata) {
        if (userMetadata.containsKey(KEY)) {
            throw new IllegalArgumentException("snapshot metadata key '" + KEY + "' is reserved");
        }
    }

    /** {@return the fingerprint recorded with a snapshot, or null when it has none} */
    static String of(SnapshotMetadata meta) {
        return meta.metadata().get(KEY) instanceof String s && s.startsWith(dev.vecpersist.api.StateFingerprint.PREFIX)
                ? s : null;
    }

    /** {@return the metadata as users see it: without the reserved key} */
    static SnapshotMetadata hidden(SnapshotMetadata meta) {
        if (!meta.metadata().containsKey(KEY)) {
            return meta;
        }
        Map<String, Object> user = new LinkedHashMap<>(meta.metadata());
        user.remove(KEY);
        return new SnapshotMetadata(meta.id(), meta.name(), meta.timestamp(), meta.vectorCount(), meta.dimension(),
                meta.format(), meta.compression(), meta.fileSize(), meta.checksum(), user, meta.pieces());
    }
}
