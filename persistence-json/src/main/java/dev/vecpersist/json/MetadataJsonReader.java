package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonParseException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses metadata documents one after another, as {@link MetadataJson#fromJson} does, for a reader
 * of many rows (the SQLite format's {@code metadata} column). A compact, flat object of plain values
 * (ASCII keys and strings without escapes, integers of up to 18 digits, booleans, null), what most
 * entries hold, is parsed directly from the text (or from its UTF-8 bytes, as a database column
 * hands them over, without decoding them into a string first), with its keys shared across rows; anything else
 * (whitespace, nesting, a fraction or exponent, an escape, a non-ASCII character, a repeated key,
 * any error) goes to {@link MetadataJson#fromJson}, so results and errors are exactly its. Under JFR
 * a Jackson parser per row was about 40% of a SQLite load. Not thread-safe.
 */
public final class MetadataJsonReader {

    /** Longest key or string the direct path takes; longer ones go to Jackson. */
    private static final int MAX_PLAIN_LENGTH = 1024;
    /** At most 18 digits always fit in a long. */
    private static final int MAX_DIGITS = 18;
    private static final int KEY_SLOTS = 256;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Keys seen before, by a hash of their chars: rows repeat the same few keys. */
    private final String[] keys = new String[KEY_SLOTS];

    /** Creates a reader with an empty key table. */
    public MetadataJsonReader() {
    }

    /**
     * Parses one metadata document: one JSON object and nothing after it.
     *
     * @param json the text
     * @return the map, keys in document order
     * @throws JsonParseException when the text is not a JSON object in the value model (as {@link MetadataJson#fromJson})
     */
    public Map<String, Object> fromJson(String json) throws JsonParseException {
        Map<String, Object> flat = isAscii(json) ? flat(json.getBytes(StandardCharsets.US_ASCII)) : null;
        return flat != null ? flat : MetadataJson.fromJson(json);
    }

    /**
     * Parses one metadata document from its UTF-8 bytes, as {@link #fromJson(String)} parses
     * {@code new String(utf8, UTF_8)} (malformed sequences replaced as that constructor replaces
     * them), without building that string when the document takes the direct path.
     *
     * @param utf8 the text's UTF-8 bytes
     * @return the map, keys in document order
     * @throws JsonParseException when the text is not a JSON object in the value model (as {@link MetadataJson#fromJson})
     */
    public Map<String, Object> fromJson(byte[] utf8) throws JsonParseException {
        Map<String, Object> flat = flat(utf8);
        return flat != null ? flat : MetadataJson.fromJson(new String(utf8, StandardCharsets.UTF_8));
    }

    private static boolean isAscii(String json) {
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The map when {@code json} is a compact flat object of plain values, otherwise null. Any byte
     * outside ASCII ends up outside the direct path (plain strings and keys refuse it, no other
     * token holds it), so its strings decode byte for char.
     */
    private Map<String, Object> flat(byte[] json) {
        int end = json.length - 1;
        if (end < 1 || json[0] != '{' || json[end] != '}') {
            return null;
        }
        // a few keys are the rule: a small table, grown if needed
        LinkedHashMap<String, Object> map = new LinkedHashMap<>(8);
        if (end == 1) {
            return map;
        }
        int at = 1;
        while (true) {
            // a key
            int keyEnd = plainStringEnd(json, at, end);
            if (keyEnd < 0 || keyEnd + 1 >= end || json[keyEnd + 1] != ':') {
                return null;
            }
            String key = key(json, at + 1, keyEnd);
            at = keyEnd + 2;
            // its value
            byte c = json[at];
            Object value;
            int next;
            if (c == '"') {
                int valueEnd = plainStringEnd(json, at, end);
                if (valueEnd < 0) {
                    return null;
                }
                value = ascii(json, at + 1, valueEnd);
                next = valueEnd + 1;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                next = integerEnd(json, at, end);
                if (next < 0) {
                    return null;
                }
                value = parseLong(json, at, next);
            } else if (startsWith(json, at, end, TRUE)) {
                value = Boolean.TRUE;
                next = at + 4;
            } else if (startsWith(json, at, end, FALSE)) {
                value = Boolean.FALSE;
                next = at + 5;
            } else if (startsWith(json, at, end, NULL)) {
                value = null;
                next = at + 4;
            } else {
                return null;
            }
            int before = map.size();
            map.put(key, value);
            if (map.size() == before) {
                return null; // a repeated key: Jackson reports it
            }
            if (next == end) {
                return map;
            }
            if (next > end || json[next] != ',') {
                return null;
            }
            at = next + 1;
        }
    }

    /** Whether {@code word} starts at {@code at}, before the closing brace at {@code end}. */
    private static boolean startsWith(byte[] json, int at, int end, byte[] word) {
        if (at + word.length > end) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (json[at + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the closing quote of a plain string starting with the quote at {@code at}, or -1
     * when there is none before {@code end} or the string holds an escape, a control or non-ASCII char.
     */
    private static int plainStringEnd(byte[] json, int at, int end) {
        if (at >= end || json[at] != '"') {
            return -1;
        }
        int limit = Math.min(end, at + 1 + MAX_PLAIN_LENGTH);
        for (int i = at + 1; i < limit; i++) {
            byte c = json[i];
            if (c == '"') {
                return i;
            }
            // a byte of a multi-byte sequence is negative
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /**
     * The index after a JSON integer ({@code -?(0|[1-9][0-9]*)}, at most 18 digits) starting at
     * {@code at} and followed by ',' or the closing brace, or -1 (a fraction, an exponent, a longer
     * or malformed number).
     */
    private static int integerEnd(byte[] json, int at, int end) {
        int i = json[at] == '-' ? at + 1 : at;
        int digitsStart = i;
        while (i < end && json[i] >= '0' && json[i] <= '9') {
            i++;
        }
        int digits = i - digitsStart;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && json[digitsStart] == '0')) {
            return -1;
        }
        return i == end || json[i] == ',' ? i : -1;
    }

    private static Long parseLong(byte[] json, int start, int end) {
        boolean negative = json[start] == '-';
        long value = 0;
        for (int i = negative ? start + 1 : start; i < end; i++) {
            value = value * 10 + (json[i] - '0');
        }
        return negative ? -value : value;
    }

    /** The ASCII text between {@code start} and {@code end} (ISO-8859-1 decodes ASCII as UTF-8 does, and fastest). */
    private static String ascii(byte[] json, int start, int end) {
        return new String(json, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** The key between {@code start} and {@code end}, the same instance as the last time it was seen in its slot. */
    private String key(byte[] json, int start, int end) {
        int length = end - start;
        int hash = length;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + json[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (KEY_SLOTS - 1);
        String known = keys[slot];
        if (known != null && known.length() == length && sameChars(json, start, known)) {
            return known;
        }
        String key = ascii(json, start, end);
        keys[slot] = key;
        return key;
    }

    private static boolean sameChars(byte[] json, int start, String known) {
        for (int i = 0; i < known.length(); i++) {
            if (json[start + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
