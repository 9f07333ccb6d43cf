package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.json.MetadataJson;

import java.io.CharConversionException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private int prefixLength;
    /** Where the stand-ins in the prefix stood in the file: the state object and the vectors array, as "line: L, column: C". */
    private int vectorsColumnInPrefix;
    private String stateStart;
    private String vectorsStart;

    JsonErrors(JsonParser p, String source) {
        this.p = p;
        this.source = source;
    }

    /**
     * Reports positions of another parser from now on, whose input began with {@code prefixLength}
     * bytes not in the file and then continued the file at the given offset, line and column.
     */
    void follow(JsonParser parser, int prefixLength, long offset, int line, int column,
                int vectorsColumnInPrefix, JsonLocation stateStart, JsonLocation vectorsStart) {
        this.p = parser;
        this.prefixLength = prefixLength;
        this.vectorsColumnInPrefix = vectorsColumnInPrefix;
        this.stateStart = "line: " + stateStart.getLineNr() + ", column: " + stateStart.getColumnNr();
        this.vectorsStart = "line: " + vectorsStart.getLineNr() + ", column: " + vectorsStart.getColumnNr();
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
        String what = e instanceof JsonProcessingException jpe ? inFile(jpe.getOriginalMessage()) : e.toString();
        // Jackson reports most early ends as JsonEOFException, some as "Unexpected end-of-input ..."
        if (e instanceof JsonEOFException || String.valueOf(what).contains("end-of-input")) {
            return new CorruptedStateException(source + ": truncated JSON state: it ends at " + position(), e);
        }
        return new CorruptedStateException(source + ": malformed JSON state at " + position() + ": " + what, e);
    }

    private static final Pattern JACKSON_LINE_COLUMN = Pattern.compile("line: (\\d+), column: (\\d+)");

    /** Jackson's message with the positions it names (e.g. where an unclosed array started) in the file's terms. */
    private String inFile(String message) {
        if (message == null || prefixLength == 0) {
            return message;
        }
        Matcher m = JACKSON_LINE_COLUMN.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long line = Long.parseLong(m.group(1));
            long column = Long.parseLong(m.group(2));
            String inFile;
            if (line == 1 && column == 1) {
                inFile = stateStart;
            } else if (line == 1 && column == vectorsColumnInPrefix) {
                inFile = vectorsStart;
            } else {
                inFile = "line: " + (line + lineShift) + ", column: " + (line == 1 ? column + firstLineColumnShift : column);
            }
            m.appendReplacement(out, inFile);
        }
        return m.appendTail(out).toString();
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
