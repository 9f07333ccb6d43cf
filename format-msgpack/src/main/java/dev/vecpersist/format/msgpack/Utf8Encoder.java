package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.ValueLimits;

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
        ValueLimits.checkString(s, maxBytes, what);
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
