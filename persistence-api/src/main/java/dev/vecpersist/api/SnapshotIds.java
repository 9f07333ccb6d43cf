package dev.vecpersist.api;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The ids snapshot stores issue: random lower-case UUIDs. A store makes file names or object keys
 * of them, so it accepts no other string as an id: nothing a caller or a listing passes in can
 * name a path or key outside the store.
 */
public final class SnapshotIds {

    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private SnapshotIds() {
    }

    /** {@return a new random id} */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Tells whether a string has the shape of an id stores issue (a lower-case UUID).
     *
     * @param id the string, possibly null
     * @return true when it is well formed
     */
    public static boolean isWellFormed(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }
}
