package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.ValueLimits;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata maps as JSON, in the {@link MetadataValues} model, with Jackson's streaming API only:
 * nothing is ever bound to a class named by the input.
 *
 * <p>Reading gives integers as {@code Long}, other numbers as finite {@code Double}, objects as
 * {@link LinkedHashMap}s in file order and arrays as lists, so that what loads equals what was saved.
 * An integer beyond {@code long}, a number beyond {@code double}, a repeated key or nesting deeper
 * than {@link MetadataValues#MAX_DEPTH} is rejected. Writing accepts the same model (plus the
 * narrower integral types and {@code Float}, as {@link MetadataValues#normalize} does) and refuses
 * anything the reader would refuse, so a state that saves also loads.
 *
 * <p>Used by the JSON format for entry and user metadata, and by the SQLite format for its
 * {@code metadata} column. Stateless and thread-safe.
 */
public final class MetadataJson {


    private MetadataJson() {
    }

    /**
     * Writes a metadata map as a JSON object.
     *
     * @param g        the generator, positioned where a value may be written
     * @param metadata the map; null is written as an empty object
     * @throws IllegalArgumentException naming the key path when a value is outside the value model,
     *                                  a number is not finite, a string is too long or nesting is too deep
     * @throws IOException              when the generator's target fails
     */
    public static void write(JsonGenerator g, Map<String, ?> metadata) throws IOException {
        if (metadata == null) {
            g.writeStartObject();
            g.writeEndObject();
            return;
        }
        writeMap(g, metadata, "", 1);
    }

    private static void writeMap(JsonGenerator g, Map<?, ?> map, String path, int depth) throws IOException {
        checkDepth(path, depth);
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("metadata key at '" + path + "' is not a String: " + e.getKey());
            }
            ValueLimits.checkString(key, ValueLimits.MAX_KEY_BYTES, "metadata key at '" + ValueLimits.preview(path) + "'");
            g.writeFieldName(key);
            writeValue(g, e.getValue(), path.isEmpty() ? key : path + "." + key, depth);
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object value, String path, int depth) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            ValueLimits.checkString(s, ValueLimits.MAX_STRING_BYTES, "metadata string at '" + ValueLimits.preview(path) + "'");
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("metadata value at '" + path + "' is " + d + "; only finite numbers can be stored");
            }
            g.writeNumber(d);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(g, map, path, depth + 1);
        } else if (value instanceof List<?> list) {
            checkDepth(path, depth + 1);
            g.writeStartArray();
            for (int i = 0; i < list.size(); i++) {
                writeValue(g, list.get(i), path + "[" + i + "]", depth + 1);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("metadata value at '" + path + "' has unsupported type "
                    + value.getClass().getName() + " (use String, Boolean, Long, Double, null, List or Map)");
        }
    }

    private static void checkDepth(String path, int depth) {
        if (depth > MetadataValues.MAX_DEPTH) {
            throw new IllegalArgumentException("metadata at '" + path + "' is nested deeper than "
                    + MetadataValues.MAX_DEPTH + " levels");
        }
    }

    /**
     * Reads the JSON object at the parser's current token into a map. On return the parser is at
     * the object's {@code END_OBJECT}.
     *
     * @param p a parser whose current token is {@code START_OBJECT}
     * @return the map, keys in file order
     * @throws JsonParseException with the location when the content is not in the value model
     * @throws IOException        when the parser's source fails
     */
    public static Map<String, Object> read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "metadata must be a JSON object, found " + describe(p.currentToken()));
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
            throw new JsonParseException(p, "unexpected " + describe(t) + " in a metadata object");
        }
        return map;
    }

    private static Object readValue(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new JsonParseException(p, "metadata ends early");
        }
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new JsonParseException(p, "integer " + p.getText() + " does not fit in a long");
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new JsonParseException(p, "number " + p.getText() + " is beyond the range of a double");
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
                return readList(p, depth + 1);
            default:
                throw new JsonParseException(p, "unexpected " + describe(t) + " in metadata");
        }
    }

    private static List<Object> readList(JsonParser p, int depth) throws IOException {
        checkDepth(p, depth);
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonParseException(p, "metadata ends early");
            }
            list.add(readValue(p, depth));
        }
        return list;
    }

    private static void checkDepth(JsonParser p, int depth) throws JsonParseException {
        if (depth > MetadataValues.MAX_DEPTH) {
            throw new JsonParseException(p, "metadata nested deeper than " + MetadataValues.MAX_DEPTH + " levels");
        }
    }

    /**
     * Metadata as compact JSON text.
     *
     * @throws IllegalArgumentException as {@link #write} does
     */
    public static String toJson(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return "{}";
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JacksonSetup.FACTORY.createGenerator(out)) {
            write(g, metadata);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toString();
    }

    /**
     * Parses metadata written by {@link #toJson}: one JSON object and nothing after it.
     *
     * @param json the text
     * @return the map, keys in file order
     * @throws JsonParseException when the text is not a JSON object in the value model
     */
    public static Map<String, Object> fromJson(String json) throws JsonParseException {
        try (JsonParser p = JacksonSetup.FACTORY.createParser(json)) {
            p.nextToken();
            Map<String, Object> map = read(p);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new JsonParseException(p, "unexpected " + describe(after) + " after the metadata object");
            }
            return map;
        } catch (JsonParseException e) {
            throw e;
        } catch (IOException e) {
            // reading a String cannot fail for I/O reasons: anything else is malformed content
            throw new JsonParseException(null, e.getMessage(), e);
        }
    }

    /** Where the parser is, for error messages: line, column and byte (or char) offset. */
    static String where(JsonParser p) {
        JsonLocation at = p.currentLocation();
        long offset = at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
        return "line " + at.getLineNr() + ", column " + at.getColumnNr() + " (offset " + offset + ")";
    }

    /** A token in words, for error messages. */
    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case END_OBJECT -> "the end of an object";
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of an array";
            case FIELD_NAME -> "a key";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
