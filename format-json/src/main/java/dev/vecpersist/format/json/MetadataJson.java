package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vecpersist.api.MetadataValues;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata maps as JSON, in the {@link MetadataValues} model: integers read back as {@code Long},
 * other numbers as {@code Double}, objects as insertion-ordered maps, nesting bounded by
 * {@link MetadataValues#MAX_DEPTH}. Nothing is ever bound to an arbitrary class. Thread-safe.
 */
public final class MetadataJson {

    /** A factory with limits that make hostile input fail fast. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MetadataValues.MAX_DEPTH + 8)
                    .maxStringLength(64 << 20)
                    .maxNumberLength(400)
                    .build())
            .build();

    private MetadataJson() {
    }

    /** Writes a metadata map (or any value of the model) with the generator. */
    public static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("metadata number " + d + " is not finite");
            }
            g.writeNumber(d);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a metadata value: " + value.getClass().getName());
        }
    }

    /**
     * Reads the object at the parser's current token ({@code START_OBJECT}) into a map.
     *
     * @throws IOException with a precise message when the content is not in the value model
     */
    public static Map<String, Object> readObject(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a JSON object for metadata, found " + p.currentToken() + " at " + where(p));
        }
        return readMap(p, 1);
    }

    private static Map<String, Object> readMap(JsonParser p, int depth) throws IOException {
        checkDepth(p, depth);
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, readValue(p, depth));
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t + " in metadata at " + where(p));
        }
        return map;
    }

    private static Object readValue(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new java.io.EOFException("metadata ends early");
        }
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new IOException("integer " + p.getText() + " does not fit a long, at " + where(p));
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new IOException("number " + p.getText() + " is out of range, at " + where(p));
                }
                return d;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return readMap(p, depth + 1);
            case START_ARRAY:
                checkDepth(p, depth + 1);
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new java.io.EOFException("metadata ends early");
                    }
                    list.add(readValue(p, depth + 1));
                }
                return list;
            default:
                throw new IOException("unexpected " + t + " in metadata at " + where(p));
        }
    }

    private static void checkDepth(JsonParser p, int depth) throws IOException {
        if (depth > MetadataValues.MAX_DEPTH) {
            throw new IOException("metadata nested deeper than " + MetadataValues.MAX_DEPTH + " levels at " + where(p));
        }
    }

    /** Metadata as a compact JSON text (for formats that store it as text, e.g. SQLite). */
    public static String toJson(Map<String, ?> metadata) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, metadata);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * Parses a JSON object text into metadata.
     *
     * @throws IOException when the text is not a JSON object in the value model
     */
    public static Map<String, Object> fromJson(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            p.nextToken();
            Map<String, Object> map = readObject(p);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the metadata object");
            }
            return map;
        }
    }

    static String where(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr()
                + " (byte " + p.currentLocation().getByteOffset() + ")";
    }
}
