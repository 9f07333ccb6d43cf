package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.vecpersist.api.CorruptedStateException;

import java.io.CharConversionException;
import java.io.IOException;

/**
 * Turns what is wrong with a JSON state into a {@link CorruptedStateException} that names the
 * source and the position, and checks the type of scalar fields.
 */
final class JsonErrors {

    private JsonParser p;
    private final String source;
    /** What turns the parser's position into the file's, for a parser that started inside the file. */
    private long offsetShift;
    private int lineShift;
    private int firstLineColumnShift;

    JsonErrors(JsonParser p, String source) {
        this.p = p;
        this.source = source;
    }

    /**
     * Reports positions of another parser from now on, whose input began with {@code prefixLength}
     * bytes not in the file and then continued the file at the given offset, line and column.
     */
    void follow(JsonParser parser, int prefixLength, long offset, int line, int column) {
        this.p = parser;
        this.offsetShift = offset - prefixLength;
        this.lineShift = line - 1;
        this.firstLineColumnShift = column - 1 - prefixLength;
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
        JsonLocation at = p.currentLocation();
        long offset = (at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset()) + offsetShift;
        int column = at.getColumnNr() + (at.getLineNr() == 1 ? firstLineColumnShift : 0);
        return "line " + (at.getLineNr() + lineShift) + ", column " + column + " (offset " + offset + ")"
                + (pointer.isEmpty() ? "" : ", in " + pointer);
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
