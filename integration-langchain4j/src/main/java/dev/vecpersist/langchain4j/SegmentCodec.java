package dev.vecpersist.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Maps a LangChain4j {@link TextSegment} to the metadata of a VecPersist entry and back, type for type.
 *
 * <p>VecPersist stores metadata numbers as {@code Long} and {@code Double} and has no UUID type, so
 * the segment's metadata is stored with a second map naming each value's LangChain4j type:
 * <pre>{@code
 * {"text": "hello", "metadata": {"page": 3, "id": "6f1c..."}, "types": {"page": "integer", "id": "uuid"}}
 * }</pre>
 * An entry without a segment has empty metadata. Integers and floats widen exactly to
 * {@code Long} and {@code Double}, so every value comes back equal to what was added.
 */
final class SegmentCodec {

    static final String TEXT = "text";
    static final String METADATA = "metadata";
    static final String TYPES = "types";

    private SegmentCodec() {
    }

    /**
     * The entry metadata holding {@code segment}.
     *
     * @param segment the segment, or null for an entry without one
     * @return the entry metadata (empty for null)
     */
    static Map<String, Object> encode(TextSegment segment) {
        if (segment == null) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> types = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : segment.metadata().toMap().entrySet()) {
            ValueType type = ValueType.of(e.getValue());
            values.put(e.getKey(), type.store(e.getValue()));
            types.put(e.getKey(), type.tag);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(TEXT, segment.text());
        entry.put(METADATA, values);
        entry.put(TYPES, types);
        return entry;
    }

    /**
     * The segment an entry's metadata holds.
     *
     * @param id    the entry's id, for messages
     * @param entry the entry metadata, as {@link #encode} wrote it
     * @return the segment, or null for an entry stored without one
     * @throws IllegalArgumentException naming the entry and key when the metadata is not in this layout
     */
    static TextSegment decode(String id, Map<String, Object> entry) {
        if (entry.isEmpty()) {
            return null;
        }
        if (!(entry.get(TEXT) instanceof String text)
                || !(entry.get(METADATA) instanceof Map<?, ?> values)
                || !(entry.get(TYPES) instanceof Map<?, ?> types)
                || entry.size() != 3) {
            throw new IllegalArgumentException("entry '" + id + "' does not hold a LangChain4j text segment"
                    + " (expected the keys text, metadata and types, found " + entry.keySet() + ")");
        }
        if (!values.keySet().equals(types.keySet())) {
            throw new IllegalArgumentException("entry '" + id + "': metadata keys " + values.keySet()
                    + " differ from the typed keys " + types.keySet());
        }
        Map<String, Object> restored = new HashMap<>(Math.max(4, values.size() * 4 / 3 + 1));
        for (Map.Entry<?, ?> e : values.entrySet()) {
            String key = (String) e.getKey();
            ValueType type = ValueType.ofTag(id, key, types.get(key));
            restored.put(key, type.restore(id, key, e.getValue()));
        }
        return TextSegment.from(text, new Metadata(restored));
    }

    /** The LangChain4j metadata value types, how each is stored, and how it comes back. */
    private enum ValueType {
        STRING("string"), UUID_("uuid"), INTEGER("integer"), LONG("long"), FLOAT("float"), DOUBLE("double");

        final String tag;

        ValueType(String tag) {
            this.tag = tag;
        }

        static ValueType of(Object value) {
            if (value instanceof String) {
                return STRING;
            } else if (value instanceof UUID) {
                return UUID_;
            } else if (value instanceof Integer) {
                return INTEGER;
            } else if (value instanceof Long) {
                return LONG;
            } else if (value instanceof Float) {
                return FLOAT;
            } else if (value instanceof Double) {
                return DOUBLE;
            }
            // Metadata refuses other types, so this means a newer LangChain4j added one
            throw new IllegalArgumentException("unsupported metadata value type " + value.getClass().getName());
        }

        static ValueType ofTag(String id, String key, Object tag) {
            for (ValueType t : values()) {
                if (t.tag.equals(tag)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("entry '" + id + "': metadata '" + key + "' has unknown type " + tag);
        }

        Object store(Object value) {
            return switch (this) {
                case STRING -> value;
                case UUID_ -> value.toString();
                case INTEGER, LONG -> ((Number) value).longValue();
                case FLOAT, DOUBLE -> ((Number) value).doubleValue();
            };
        }

        Object restore(String id, String key, Object stored) {
            Object value = switch (this) {
                case STRING -> stored instanceof String ? stored : null;
                case UUID_ -> stored instanceof String s ? parseUuid(s) : null;
                case INTEGER -> stored instanceof Long l && l == l.intValue() ? (Object) l.intValue() : null;
                case LONG -> stored instanceof Long ? stored : null;
                case FLOAT -> stored instanceof Double d && (double) d.floatValue() == d ? (Object) d.floatValue() : null;
                case DOUBLE -> stored instanceof Double ? stored : null;
            };
            if (value == null) {
                throw new IllegalArgumentException("entry '" + id + "': metadata '" + key + "' typed " + tag
                        + " holds " + (stored == null ? "null" : stored.getClass().getSimpleName() + " " + stored));
            }
            return value;
        }

        private static UUID parseUuid(String s) {
            try {
                UUID u = UUID.fromString(s);
                // fromString accepts shortened forms such as "1-1-1-1-1": only the canonical one is ours
                return u.toString().equals(s) ? u : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
