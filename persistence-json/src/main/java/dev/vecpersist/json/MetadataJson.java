package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.MetadataValues;
import dev.vecpersist.api.MetadataWalker;
import dev.vecpersist.api.ValueLimits;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata value model ({@link MetadataValues}) as JSON, with Jackson's streaming API only:
 * nothing is ever bound to a class named by the input. The one implementation, used for entry and
 * user metadata in JSON state files, the SQLite format's {@code metadata} column, snapshot metadata
 * documents and the core's own JSON documents.
 *
 * <p>Writing goes through a checking {@link MetadataWalker}: it accepts the model (plus the
 * narrower integral types and {@code Float}, widened as {@link MetadataValues#normalize} does) and
 * refuses anything a read would refuse or give back differently (another type, a non-finite
 * number, a key or string beyond {@link ValueLimits} or with an unpaired surrogate, nesting deeper
 * than {@link ValueLimits#MAX_DEPTH}), so what saves loads back bit for bit.
 *
 * <p>Reading gives integers as {@code Long}, other numbers as finite {@code Double}, objects as
 * {@link LinkedHashMap}s in document order and arrays as lists. An integer beyond {@code long}, a
 * number beyond {@code double}, a repeated key or nesting deeper than {@link ValueLimits#MAX_DEPTH}
 * is refused with a {@link JsonParseException} giving the location; lengths in chars are bounded by
 * {@link JsonSetup}'s parser limits, and the exact UTF-8 limits are checked where values enter
 * ({@link MetadataValues#normalize}, the core's entry rules). Stateless and thread-safe.
 */
public final class MetadataJson {

    private MetadataJson() {
    }

    /**
     * Writes a metadata map as a JSON object.
     *
     * @param g        the generator, positioned where a value may be written
     * @param metadata the map; null is written as an empty object
     * @throws IllegalArgumentException naming the key path when a value is outside the value model or its limits
     * @throws IOException              when the generator's target fails
     */
    public static void write(JsonGenerator g, Map<String, ?> metadata) throws IOException {
        if (metadata == null) {
            g.writeStartObject();
            g.writeEndObject();
            return;
        }
        MetadataWalker.checking(new GeneratorVisitor(g)).walkMap(metadata);
    }

    /**
     * Writes any value of the metadata model (a list or map at its top is level 1).
     *
     * @param g     the generator, positioned where a value may be written
     * @param value the value, possibly null
     * @throws IllegalArgumentException naming the key path when the value is outside the value model or its limits
     * @throws IOException              when the generator's target fails
     */
    public static void writeValue(JsonGenerator g, Object value) throws IOException {
        MetadataWalker.checking(new GeneratorVisitor(g)).walkValue(value);
    }

    /**
     * Reads the JSON object at the parser's current token into a map. On return the parser is at
     * the object's {@code END_OBJECT}.
     *
     * @param p a parser whose current token is {@code START_OBJECT}
     * @return the map, keys in document order
     * @throws JsonParseException with the location when the content is not in the value model
     * @throws IOException        when the parser's source fails
     */
    public static Map<String, Object> read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "metadata must be a JSON object, found " + describe(p.currentToken()));
        }
        return readMap(p, 1);
    }

    /**
     * Reads the value at the parser's current token (a list or map there is level 1). On return the
     * parser is at the value's last token.
     *
     * @param p a parser positioned on a value's first token
     * @return the value in the model, possibly null
     * @throws JsonParseException with the location when the content is not in the value model
     * @throws IOException        when the parser's source fails
     */
    public static Object readValue(JsonParser p) throws IOException {
        return readValue(p, 0);
    }

    /**
     * Reads a whole document that is one JSON object (a manifest, an audit line), and checks that
     * nothing follows it.
     *
     * @param p a parser at the document's start, before its first token
     * @return the object's fields in document order
     * @throws JsonParseException with the location when the document is not one object in the value model
     * @throws IOException        when the parser's source fails
     */
    public static Map<String, Object> readDocument(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "expected a JSON object, found " + describe(first));
        }
        Map<String, Object> doc = readMap(p, 1);
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new JsonParseException(p, "unexpected " + describe(after) + " after the JSON object");
        }
        return doc;
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

    /** @param depth how many containers enclose the value */
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
        if (depth > ValueLimits.MAX_DEPTH) {
            throw new JsonParseException(p, "metadata nested deeper than " + ValueLimits.MAX_DEPTH + " levels");
        }
    }

    /**
     * Metadata as compact JSON text.
     *
     * @param metadata the map; null or empty gives {@code {}}
     * @return the text
     * @throws IllegalArgumentException as {@link #write} does
     */
    public static String toJson(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return "{}";
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JsonSetup.FACTORY.createGenerator(out)) {
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
     * @return the map, keys in document order
     * @throws JsonParseException when the text is not a JSON object in the value model
     */
    public static Map<String, Object> fromJson(String json) throws JsonParseException {
        try (JsonParser p = JsonSetup.FACTORY.createParser(json)) {
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

    /**
     * Where a parser is, for error messages.
     *
     * @param p the parser
     * @return line, column and byte (or char) offset
     */
    public static String where(JsonParser p) {
        JsonLocation at = p.currentLocation();
        long offset = at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
        return "line " + at.getLineNr() + ", column " + at.getColumnNr() + " (offset " + offset + ")";
    }

    /**
     * A token in words, for error messages.
     *
     * @param t the token, null at the end of the input
     * @return e.g. "an object", "a string", "the end of the input"
     */
    public static String describe(JsonToken t) {
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
