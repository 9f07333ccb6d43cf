package dev.vecpersist.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vecpersist.api.ValueLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON documents of the core (manifests, snapshot metadata), read strictly into the metadata value model. Internal: not a stable API. */
public final class JsonValues {

    /** A factory with limits that make hostile documents fail fast. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(ValueLimits.MAX_DEPTH + 4)
                    .maxStringLength(ValueLimits.MAX_STRING_BYTES) // chars never outnumber UTF-8 bytes
                    .maxNameLength(ValueLimits.MAX_KEY_BYTES)
                    .maxNumberLength(64).build())
            .build();

    private JsonValues() {
    }

    /**
     * Writes one value of the metadata model.
     *
     * @param g the generator
     * @param v the value
     * @throws IOException when writing fails
     */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a metadata value: " + v.getClass().getName());
        }
    }

    /**
     * Reads the value at the parser's current token.
     *
     * @param p a parser positioned on a value's first token
     * @return the value in the metadata model (integers as {@code Long}, maps in document order)
     * @throws IOException when the document is malformed, or an integer is out of {@code long}'s range
     */
    public static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("unexpected end of JSON");
        }
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new IOException("integer out of range at " + p.currentLocation());
                }
                yield p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, readValue(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(readValue(p));
                }
                yield l;
            }
            default -> throw new IOException("unexpected " + t + " at " + p.currentLocation());
        };
    }

    /**
     * Reads a whole JSON object document into a map.
     *
     * @param p a parser at the document's start
     * @return the object's fields in document order
     * @throws IOException when the document is not one JSON object, or is malformed
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) readValue(p);
        if (p.nextToken() != null) {
            throw new IOException("trailing content after the JSON object");
        }
        return m;
    }
}
