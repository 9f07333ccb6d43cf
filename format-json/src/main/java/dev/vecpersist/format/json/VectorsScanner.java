package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.VectorEntry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads the entries of the {@code "vectors"} array straight from the bytes, without Jackson's
 * token stream: the floats are parsed where they lie ({@link JsonFloatLiterals}), the metadata object by a
 * Jackson parser over its bytes alone. It takes only what it fully understands — an entry with the
 * fields {@code id}, {@code vector} (exactly the header's dimension, every number finite) and
 * {@code metadata}, an id without escapes, JSON whitespace anywhere — and for anything else
 * (the end of the array, an unknown field, an escape, a syntax error, a truncation) it stops and
 * hands the bytes from after the last entry it returned to the token reader, which accepts,
 * rejects and reports exactly as it always did. So it never decides an error itself, and what it
 * returns is what the token reader would have returned.
 *
 * <p>Streaming: it holds the bytes since the last returned entry plus one read ahead
 * ({@value #READ_SIZE} bytes). It tracks line and column the way Jackson counts them, so the token
 * reader's positions after the hand-over stay those of the file. Not thread-safe.
 */
final class VectorsScanner {

    static final int READ_SIZE = 16 * 1024;

    private static final byte[] ID_KEY = ascii("id\"");
    private static final byte[] VECTOR_KEY = ascii("vector\"");
    private static final byte[] METADATA_KEY = ascii("metadata\"");
    private static final byte[] NULL = ascii("null");
    private static final byte[][] FIELD_KEYS = {ID_KEY, VECTOR_KEY, METADATA_KEY};

    private final InputStream in;
    private final int dimension;
    private byte[] buf;
    private int pos;
    private int end;
    private boolean eof;
    /** Where the next entry starts: after the last one returned (or after the {@code '['}). */
    private int anchor;
    /** Jackson's byte offset of {@code buf[0]}. */
    private long base;
    /** Line (1-based) and the offset its first byte has, at the anchor... */
    private int line;
    private long lineStart;
    /** ...and at {@link #pos}. */
    private int workLine;
    private long workLineStart;
    private long returned;
    /** Whether the first entry read is preceded by a comma: a scanner started after an entry. */
    private final boolean afterEntry;
    /** A failure of the source met while reading ahead, thrown where the input is next needed. */
    private Exception deferred;

    private VectorsScanner(byte[] buffered, InputStream in, int dimension, JsonLocation at) {
        this.in = in;
        this.dimension = dimension;
        this.buf = Arrays.copyOf(buffered, Math.max(READ_SIZE, buffered.length * 2));
        this.end = buffered.length;
        this.base = at.getByteOffset();
        this.line = at.getLineNr();
        this.lineStart = base - (at.getColumnNr() - 1);
        this.afterEntry = false;
    }

    /** Over {@code bytes} alone, which start right after an entry at {@code offset}; lines counted from 0. */
    private VectorsScanner(byte[] bytes, int dimension, long offset) {
        this.in = InputStream.nullInputStream();
        this.dimension = dimension;
        this.buf = bytes;
        this.end = bytes.length;
        this.eof = true;
        this.base = offset;
        this.lineStart = NO_LINE_START;
        this.afterEntry = true;
    }

    /** The line start of a scanner over a copy that has met no line break yet. */
    static final long NO_LINE_START = Long.MIN_VALUE;

    /**
     * Takes over from a parser that has just returned the {@code "vectors"} array's START_ARRAY,
     * with the bytes it has read ahead; null (and the parser untouched) when the input is not
     * UTF-8 read from bytes, which the token reader then handles alone.
     */
    static VectorsScanner takeOver(JsonParser p, InputStream in, int dimension) throws IOException {
        JsonLocation at = p.currentLocation();
        if (p.currentToken() != JsonToken.START_ARRAY || at.getByteOffset() < 0) {
            return null;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        if (p.releaseBuffered(rest) < 0) { // a parser of chars (UTF-16, UTF-32): it keeps them
            return null;
        }
        return new VectorsScanner(rest.toByteArray(), in, dimension, at);
    }

    /** The number of entries returned so far. */
    long returned() {
        return returned;
    }

    /** Jackson's byte offset, line and column of the hand-over point. */
    long handOverOffset() {
        return base + anchor;
    }

    int handOverLine() {
        return line;
    }

    int handOverColumn() {
        return (int) (base + anchor - lineStart) + 1;
    }

    /** The offset the hand-over point's line starts at ({@link #NO_LINE_START} for a copy before its first line break). */
    long handOverLineStart() {
        return lineStart;
    }

    /**
     * Reads ahead until {@code bytes} bytes from the hand-over point are held or the input ends. A
     * failure of the source is kept and thrown where the scanner next needs input, so it still
     * arrives after the entries before it.
     */
    void bufferAhead(int bytes) {
        while (end - anchor < bytes && !eof && deferred == null) {
            try {
                fill();
            } catch (IOException | RuntimeException e) {
                deferred = e;
            }
        }
    }

    /**
     * A place after the middle of the bytes held where an entry may end: a {@code '}'} followed
     * (whitespace aside) by a comma, a {@code '{'} and one of the entry's field names with its colon.
     * It may as well lie inside a string or a metadata object; only reaching it as the end of an
     * entry confirms it.
     *
     * @return its offset in the input, or -1 if there is none
     */
    long possibleEntryEnd() {
        for (int i = anchor + (end - anchor) / 2; i < end; i++) {
            if (buf[i] == '}') {
                int j = skipBlanks(i + 1);
                if (j < end && buf[j] == ',' && (j = skipBlanks(j + 1)) < end && buf[j] == '{'
                        && (j = skipBlanks(j + 1)) < end && buf[j] == '"' && startsField(j + 1)) {
                    return base + i + 1;
                }
            }
        }
        return -1;
    }

    private boolean startsField(int at) {
        for (byte[] key : FIELD_KEYS) {
            if (at + key.length <= end && Arrays.equals(buf, at, at + key.length, key, 0, key.length)) {
                int j = skipBlanks(at + key.length);
                return j < end && buf[j] == ':';
            }
        }
        return false;
    }

    private int skipBlanks(int i) {
        while (i < end && isWhitespace(buf[i])) {
            i++;
        }
        return i;
    }

    /** A scanner over a copy of the bytes held from {@code offset} (a {@link #possibleEntryEnd()}) on, for another thread. */
    VectorsScanner copyFrom(long offset) {
        int from = (int) (offset - base);
        return new VectorsScanner(Arrays.copyOfRange(buf, from, end), dimension, offset);
    }

    /**
     * Takes an entry another scanner read from the same bytes as if this one had read it: it ends at
     * {@code endOffset}, {@code lines} line breaks after the hand-over point, the last starting a
     * line at {@code lineStartOffset}.
     */
    void adopt(long endOffset, int lines, long lineStartOffset) {
        anchor = (int) (endOffset - base);
        if (lines > 0) {
            line += lines;
            lineStart = lineStartOffset;
        }
        returned++;
    }

    /**
     * The input from the hand-over point on: the bytes held, then the rest of the stream — or the
     * failure met reading ahead, which the token reader then meets where the stream gave it.
     */
    InputStream remainder() {
        // SequenceInputStream closes each stream it reads to the end: shield the caller's
        InputStream rest = deferred == null ? new CloseShield(in) : new FailedSource(deferred);
        return new java.io.SequenceInputStream(new ByteArrayInputStream(buf, anchor, end - anchor), rest);
    }

    /** A source that failed: every read throws the failure again. */
    private static final class FailedSource extends InputStream {
        private final Exception failure;

        FailedSource(Exception failure) {
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return read();
        }
    }

    /** The next entry, or null when the token reader must take over (at the end of the array or anything unusual). */
    VectorEntry next() throws IOException {
        pos = anchor;
        workLine = line;
        workLineStart = lineStart;
        VectorEntry entry = entry();
        if (entry != null) {
            anchor = pos;
            line = workLine;
            lineStart = workLineStart;
            returned++;
        }
        return entry;
    }

    private VectorEntry entry() throws IOException {
        if (!skipWhitespace()) {
            return null;
        }
        if (returned > 0 || afterEntry) {
            if (buf[pos] != ',') {
                return null;
            }
            pos++;
            if (!skipWhitespace()) {
                return null;
            }
        }
        if (buf[pos] != '{') {
            return null;
        }
        pos++;
        String id = null;
        float[] vector = null;
        Map<String, Object> metadata = null;
        boolean sawMetadata = false;
        while (true) {
            if (!skipWhitespace() || buf[pos] != '"') {
                return null;
            }
            pos++;
            if (matches(ID_KEY)) {
                if (id != null || !colon() || (id = plainString()) == null) {
                    return null;
                }
            } else if (matches(VECTOR_KEY)) {
                if (vector != null || !colon() || (vector = vector()) == null) {
                    return null;
                }
            } else if (matches(METADATA_KEY)) {
                if (sawMetadata || !colon() || (metadata = metadata()) == null) {
                    return null;
                }
                sawMetadata = true;
            } else {
                return null;
            }
            if (!skipWhitespace()) {
                return null;
            }
            byte b = buf[pos++];
            if (b == '}') {
                break;
            }
            if (b != ',') {
                return null;
            }
        }
        return id == null || vector == null ? null : new VectorEntry(id, vector, metadata);
    }

    /** Consumes a key's bytes after the opening quote, through the closing quote, if they are exactly {@code key}. */
    private boolean matches(byte[] key) throws IOException {
        if (!available(key.length)) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (buf[pos + i] != key[i]) {
                return false;
            }
        }
        pos += key.length;
        return true;
    }

    private boolean colon() throws IOException {
        if (!skipWhitespace() || buf[pos] != ':') {
            return false;
        }
        pos++;
        return skipWhitespace();
    }

    /** A string without escapes or control characters, in well-formed UTF-8; null otherwise. */
    private String plainString() throws IOException {
        if (buf[pos] != '"') {
            return null;
        }
        int start = ++pos;
        boolean ascii = true;
        while (true) {
            if (pos == end) {
                int shift = fill();
                if (shift < 0) {
                    return null;
                }
                start -= shift;
            }
            byte b = buf[pos];
            if (b == '"') {
                break;
            }
            if (b == '\\' || (b >= 0 && b < 0x20) || pos - start >= JacksonSetup.MAX_STRING_LENGTH) {
                return null;
            }
            ascii &= b >= 0;
            pos++;
        }
        int length = pos - start;
        pos++;
        if (ascii) {
            return new String(buf, start, length, StandardCharsets.ISO_8859_1);
        }
        return Utf8.isWellFormed(buf, start, length) ? new String(buf, start, length, StandardCharsets.UTF_8) : null;
    }

    /** Exactly {@link #dimension} finite numbers; null otherwise. */
    private float[] vector() throws IOException {
        if (buf[pos] != '[') {
            return null;
        }
        pos++;
        float[] v = new float[dimension];
        int n = 0;
        while (true) {
            if (!skipWhitespace() || n == v.length) {
                return null;
            }
            int bits = number();
            if (bits == NOT_A_NUMBER) {
                return null;
            }
            v[n++] = Float.intBitsToFloat(bits);
            if (!skipWhitespace()) {
                return null;
            }
            byte b = buf[pos++];
            if (b == ']') {
                return n == v.length ? v : null;
            }
            if (b != ',') {
                return null;
            }
        }
    }

    /** A NaN's bits, which a finite parse never yields: "no number here". */
    private static final int NOT_A_NUMBER = 0x7fc0_0001;

    /** The number literal at {@link #pos} as float32 bits ({@link JsonFloatLiterals#parse}), or NOT_A_NUMBER. */
    private int number() throws IOException {
        while (end - pos <= JsonFloatLiterals.MAX_LENGTH && fill() >= 0) {
            // the whole literal and the byte after it in the buffer, unless the input ends first
        }
        long parsed = JsonFloatLiterals.parse(buf, pos, end);
        if (parsed == JsonFloatLiterals.NONE) {
            return NOT_A_NUMBER;
        }
        pos = (int) (parsed >>> 32);
        return (int) parsed;
    }

    /** {@code null} (no metadata) or an object, read by MetadataJson from its bytes alone; null otherwise. */
    private Map<String, Object> metadata() throws IOException {
        if (buf[pos] == 'n') {
            if (!available(NULL.length + 1) || !matches(NULL)) {
                return null;
            }
            byte after = buf[pos];
            return isWhitespace(after) || after == ',' || after == '}' ? Map.of() : null;
        }
        if (buf[pos] != '{') {
            return null;
        }
        int start = pos;
        int depth = 0;
        boolean inString = false;
        while (true) {
            if (pos == end) {
                int shift = fill();
                if (shift < 0) {
                    return null;
                }
                start -= shift;
            }
            byte b = buf[pos++];
            if (inString) {
                if (b == '\\') {
                    if (pos == end) {
                        int shift = fill();
                        if (shift < 0) {
                            return null;
                        }
                        start -= shift;
                    }
                    pos++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                break;
            }
        }
        Map<String, Object> metadata = MetadataBytes.read(buf, start, pos - start);
        if (metadata != null) {
            countLines(start, pos); // valid JSON: line breaks only between tokens
        }
        return metadata;
    }

    /** Skips JSON whitespace, counting lines as Jackson does (CR, LF and CRLF each end one); false at the end of the input. */
    private boolean skipWhitespace() throws IOException {
        while (true) {
            if (pos == end && fill() < 0) {
                return false;
            }
            byte b = buf[pos];
            if (b == ' ' || b == '\t') {
                pos++;
            } else if (b == '\n') {
                pos++;
                newLine();
            } else if (b == '\r') {
                pos++;
                if ((pos < end || fill() >= 0) && buf[pos] == '\n') {
                    pos++;
                }
                newLine();
            } else {
                return true;
            }
        }
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n' || buf[i] == '\r') {
                if (buf[i] == '\r' && i + 1 < to && buf[i + 1] == '\n') {
                    i++;
                }
                workLine++;
                workLineStart = base + i + 1;
            }
        }
    }

    private void newLine() {
        workLine++;
        workLineStart = base + pos;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** Whether {@code n} bytes from {@link #pos} are in the buffer, reading more if needed. */
    private boolean available(int n) throws IOException {
        while (end - pos < n) {
            if (fill() < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads more input after {@link #end}, first moving the bytes from the anchor to the front of
     * the buffer (growing it when an entry fills it).
     *
     * @return by how much positions moved down, or -1 at the end of the input
     */
    private int fill() throws IOException {
        if (deferred instanceof IOException io) {
            throw io;
        }
        if (deferred != null) {
            throw (RuntimeException) deferred;
        }
        if (eof) {
            return -1;
        }
        int shift = anchor;
        if (shift > 0) {
            System.arraycopy(buf, anchor, buf, 0, end - anchor);
            base += shift;
            pos -= shift;
            end -= shift;
            anchor = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        do {
            n = in.read(buf, end, Math.min(buf.length - end, READ_SIZE));
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return -1;
        }
        end += n;
        return shift;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
