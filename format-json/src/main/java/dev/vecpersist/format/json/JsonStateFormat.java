package dev.vecpersist.format.json;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;

import java.io.IOException;

/**
 * JSON state files, streamed with Jackson's {@code JsonGenerator}/{@code JsonParser} (never
 * data-binding), in a layout that extends the reference module's:
 *
 * <pre>{@code
 * {"version":"2.0.0", "format":"vecpersist-json", "kind":"full",
 *  "options":{"dimension":384,"metric":"cosine"},
 *  "stats":{"count":2,"dimension":384,"metric":"cosine","deletions":0},
 *  "timestamp":1700000000000, "userMetadata":{}, "indexState":"<base64, optional>",
 *  "vectors":[{"id":"a","vector":[0.1,...],"metadata":{...}}, ...],
 *  "deleted":["x", ...],                      (deltas only)
 *  "checksum":"crc32c:1a2b3c4d"}
 * }</pre>
 *
 * <p>Vector components are written in their shortest round-tripping decimal form and parsed
 * straight to float32, so they read back bit for bit. The reader takes the top-level fields in any
 * order as long as the header fields precede {@code "vectors"}, skips fields it does not know, and
 * also loads the reference module's files ({@code "version":"1.0.0"}, timestamp after the vectors,
 * a SHA-256 checksum that it returns unchanged from {@link StateReader#storedChecksum()}).
 * The major number of {@code "version"} is the {@linkplain StateHeader#formatVersion() format version}.
 *
 * <p>Limits on read (and refused on write, so that whatever saves also loads): those of
 * {@link dev.vecpersist.api.ValueLimits} (dimension, id, key and string lengths, container sizes,
 * nesting), from which Jackson's read constraints are set; numbers
 * {@value JacksonSetup#MAX_NUMBER_LENGTH} chars.
 *
 * <p>Stateless and thread-safe; each writer or reader is for one thread.
 */
public final class JsonStateFormat implements StateFormat {

    /** The layout version this class writes; it reads this one and version 1 (the reference module's). */
    public static final int VERSION = JsonLayout.VERSION;

    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    /** Creates the format; {@link java.util.ServiceLoader} does so under the name {@code "json"}. */
    public JsonStateFormat() {
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String fileExtension() {
        return "json";
    }

    @Override
    public int formatVersion() {
        return VERSION;
    }

    /**
     * True for an optional UTF-8 byte order mark, optional whitespace, <code>'&#123;'</code>, optional
     * whitespace and {@code '"'}: the start of a JSON object with a key, which no other format's
     * content (binary magic numbers, compressed streams) begins with.
     */
    @Override
    public boolean recognizes(byte[] head, int length) {
        int n = Math.min(length, head.length);
        int i = startsWith(head, n, UTF8_BOM) ? UTF8_BOM.length : 0;
        i = skipWhitespace(head, i, n);
        if (i >= n || head[i] != '{') {
            return false;
        }
        i = skipWhitespace(head, i + 1, n);
        return i < n && head[i] == '"';
    }

    private static boolean startsWith(byte[] b, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] b, int i, int length) {
        while (i < length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Starts a JSON state on the sink's stream and writes the header.
     *
     * @param sink   a {@link StateSink.ToStream}; the writer buffers, flushes in {@code finish} and never closes it
     * @param header the header; its index state must be at most 1 GiB
     * @throws IllegalArgumentException when the sink is a {@link StateSink.ToFile} or the index state is too large
     * @throws IOException              when the stream fails
     */
    @Override
    public StateWriter newWriter(StateSink sink, StateHeader header) throws IOException {
        if (!(sink instanceof StateSink.ToStream target)) {
            throw new IllegalArgumentException("the json format writes to a stream, not a file: " + sink.displayName());
        }
        return new JsonStateWriter(target.stream(), header);
    }

    /**
     * Opens a JSON state on the source's stream and reads its header.
     *
     * @param source a {@link StateSource.FromStream} (read, never closed)
     * @throws dev.vecpersist.api.CorruptedStateException     when the content is not a valid JSON state,
     *         naming the source and the line/column/offset
     * @throws dev.vecpersist.api.IncompatibleStateException when its version is newer than {@link #VERSION}
     * @throws IllegalArgumentException                      when the source is a {@link StateSource.FromFile}
     * @throws IOException                                   when the stream fails
     */
    @Override
    public StateReader newReader(StateSource source) throws IOException {
        if (!(source instanceof StateSource.FromStream origin)) {
            throw new IllegalArgumentException("the json format reads from a stream, not a file: " + source.displayName());
        }
        return new JsonStateReader(origin.stream(), origin.displayName());
    }
}
