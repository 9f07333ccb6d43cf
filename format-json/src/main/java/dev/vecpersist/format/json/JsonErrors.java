package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.json.MetadataJson;

import java.io.CharConversionException;
import java.io.IOException;

/**
 * Turns what is wrong with a JSON state into a {@link CorruptedStateException} that names the
 * source and the position, and checks the type of scalar fields.
 */
final class JsonErrors {

    private final JsonParser p;
    private final String source;

    JsonErrors(JsonParser p, String source) {
        this.p = p;
        this.source = source;
    }

    String source() {
        return source;
    }

    /** The content breaks the layout. */
    CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": malformed JSON state at " + position() + ": " + what);
    }

    /**
     * Whether a failure while parsing means bad content. I/O failures of the source itself (plain
     * {@link IOException}s, {@link java.io.UncheckedIOException}) are not: they pass through.
     */
    static boolean isContentFailure(Throwable e) {
        return e instanceof JsonProcessingException // syntax, truncation, limits, duplicate keys
                || e instanceof CharConversionException // bytes that are no text in the detected encoding
                // defensive: what a parser may throw on input it did not expect
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof IndexOutOfBoundsException || e instanceof ArithmeticException;
    }

    /** A content failure as a {@link CorruptedStateException}; see {@link #isContentFailure}. */
    CorruptedStateException corrupt(Exception e) {
        String what = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.toString();
        // Jackson reports most early ends as JsonEOFException, some as "Unexpected end-of-input ..."
        if (e instanceof JsonEOFException || String.valueOf(what).contains("end-of-input")) {
            return new CorruptedStateException(source + ": truncated JSON state: it ends at " + position(), e);
        }
        return new CorruptedStateException(source + ": malformed JSON state at " + position() + ": " + what, e);
    }

    /** Line, column, offset and where in the document, e.g. {@code /vectors/3/vector/5}. */
    private String position() {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        return MetadataJson.where(p) + (pointer.isEmpty() ? "" : ", in " + pointer);
    }

    String string(JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw malformed("\"" + what + "\" must be a string, found " + MetadataJson.describe(t));
        }
        return p.getText();
    }

    long integer(JsonToken t, String what, long min, long max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw malformed("\"" + what + "\" must be an integer, found " + MetadataJson.describe(t));
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw malformed("\"" + what + "\" is " + v + ", outside " + min + ".." + max);
        }
        return v;
    }

    void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw malformed(what + " must be " + MetadataJson.describe(expected) + ", found " + MetadataJson.describe(actual));
        }
    }
}
