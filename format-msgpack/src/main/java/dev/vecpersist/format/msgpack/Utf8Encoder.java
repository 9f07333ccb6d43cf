package dev.vecpersist.format.msgpack;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the writer's strings to UTF-8, refusing what would not load back as written: a string
 * beyond the reader's limit, or one with an unpaired surrogate (which {@link String#getBytes}
 * would silently turn into {@code '?'}, giving a different id or value after a load).
 */
final class Utf8Encoder {

    private Utf8Encoder() {
    }

    /**
     * The UTF-8 bytes of a string.
     *
     * @param s        the string
     * @param maxBytes the most bytes the reader accepts for it
     * @param what     names the string in error messages, e.g. "the id of entry 'x'"
     * @return its UTF-8 encoding
     * @throws IllegalArgumentException when it is too long or not valid UTF-16
     */
    static byte[] encode(String s, int maxBytes, String what) {
        checkSurrogates(s, what);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes of UTF-8, more than the "
                    + maxBytes + " a MessagePack state holds");
        }
        return bytes;
    }

    private static void checkSurrogates(String s, String what) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(what + " has an unpaired surrogate U+"
                            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                            + "; it is not valid Unicode and cannot be stored");
                }
            }
        }
    }
}
