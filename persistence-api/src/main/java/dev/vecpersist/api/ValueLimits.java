package dev.vecpersist.api;

/**
 * The one table of limits on what a database holds. Data is checked against it where it enters
 * (insert, import, loads), and every format's writer and reader use exactly these values, so that
 * whatever an insert accepts, every format writes and reads back identically, and nothing else
 * gets in.
 *
 * <p>Every format can honour every limit: JSON (Jackson's read constraints are set from this
 * table), MessagePack (str, bin, array and map lengths are checked against it) and SQLite (its
 * text limits are derived from it).
 *
 * <p>Strings must be valid Unicode: a string holding an unpaired surrogate cannot be encoded as
 * UTF-8, so no format could give it back, and is refused.
 */
public final class ValueLimits {

    /** Largest vector dimension: 1,048,576 components (4 MiB per vector). */
    public static final int MAX_DIMENSION = 1 << 20;
    /** Longest entry id (and snapshot name), in UTF-8 bytes: 65,536. */
    public static final int MAX_ID_BYTES = 64 << 10;
    /** Longest metadata map key, in UTF-8 bytes: 16,384. */
    public static final int MAX_KEY_BYTES = 16 << 10;
    /** Longest metadata string value, in UTF-8 bytes: 16 MiB. */
    public static final int MAX_STRING_BYTES = 16 << 20;
    /** Most elements in one metadata list or map: 1,048,576. */
    public static final int MAX_CONTAINER = 1 << 20;
    /** Deepest nesting of metadata maps and lists; the top-level map is level 1. */
    public static final int MAX_DEPTH = 64;
    /**
     * Largest size of one metadata map, counted as {@value #VALUE_OVERHEAD} bytes per key and per
     * value plus the UTF-8 bytes of every key and string: 32 MiB. Its JSON text is at most
     * {@link #MAX_METADATA_JSON_BYTES} bytes.
     */
    public static final int MAX_METADATA_SIZE = 32 << 20;
    /** What each key and each value counts towards {@link #MAX_METADATA_SIZE}, besides its UTF-8 bytes. */
    public static final int VALUE_OVERHEAD = 8;
    /**
     * The longest JSON text a metadata map within the limits can take: JSON escapes a byte as at
     * most 6 (a control character as {@code \u0001}), and a key, a number or a literal with its
     * punctuation takes at most 6 x {@value #VALUE_OVERHEAD} bytes.
     */
    public static final long MAX_METADATA_JSON_BYTES = 6L * MAX_METADATA_SIZE;

    private ValueLimits() {
    }

    /**
     * Checks a string against a limit in UTF-8 bytes and for unpaired surrogates, in one pass
     * without encoding it.
     *
     * @param s        the string
     * @param maxBytes the most UTF-8 bytes allowed
     * @param what     names the string in the message, e.g. "id 'x'"
     * @return the string's length in UTF-8 bytes
     * @throws IllegalArgumentException naming the limit when the string is too long or not valid Unicode
     */
    public static int checkString(String s, int maxBytes, String what) {
        long bytes = utf8Length(s);
        IllegalArgumentException problem = stringProblem(s, bytes, maxBytes, what);
        if (problem != null) {
            throw problem;
        }
        return (int) bytes;
    }

    /**
     * The length of a string in UTF-8 bytes, counted without encoding it.
     *
     * @return the length, or {@code -(i + 1)} when the char at index {@code i} is an unpaired surrogate
     */
    static long utf8Length(String s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    return -(i + 1L);
                }
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * What {@link #checkString} refuses in a string of the given {@link #utf8Length}; kept apart so
     * that callers build the message naming the string only when there is a problem.
     *
     * @return the exception to throw, or null when the string is valid and within {@code maxBytes}
     */
    static IllegalArgumentException stringProblem(String s, long utf8Length, int maxBytes, String what) {
        if (utf8Length < 0) {
            int i = (int) (-utf8Length - 1);
            return new IllegalArgumentException(what + " has an unpaired surrogate U+"
                    + Integer.toHexString(s.charAt(i)).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                    + ": it is not valid Unicode (limit: strings must be valid Unicode)");
        }
        if (utf8Length > maxBytes) {
            return new IllegalArgumentException(what + " is " + utf8Length + " bytes of UTF-8, more than the limit of "
                    + maxBytes + " bytes");
        }
        return null;
    }

    /**
     * Checks a vector dimension.
     *
     * @param dimension the dimension
     * @throws IllegalArgumentException naming the limit when it is not in 1..{@link #MAX_DIMENSION}
     */
    public static void checkDimension(int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " is out of range: the limit is 1.."
                    + MAX_DIMENSION);
        }
    }

    /**
     * Checks an entry id: not empty, at most {@link #MAX_ID_BYTES}, valid Unicode.
     *
     * @param id the id
     * @throws IllegalArgumentException naming the limit
     */
    public static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id is empty");
        }
        if (!isAscii(id, MAX_ID_BYTES)) {
            // the message names the id: built only when the id is not plainly valid (ids are checked per entry)
            checkString(id, MAX_ID_BYTES, "id '" + preview(id) + "'");
        }
    }

    /** {@return whether the string is at most {@code maxBytes} ASCII characters, so valid and within the limit} */
    private static boolean isAscii(String s, int maxBytes) {
        int n = s.length();
        if (n > maxBytes) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * A short, printable prefix of a string for messages.
     *
     * @param s the string
     * @return at most 40 chars of it, with an ellipsis when cut
     */
    public static String preview(String s) {
        if (s.length() <= 40) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(39)) ? 39 : 40;
        return s.substring(0, end) + "...(" + s.length() + " chars)";
    }
}
