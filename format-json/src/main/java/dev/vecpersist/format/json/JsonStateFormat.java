package dev.vecpersist.format.json;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;

import java.io.IOException;

/**
 * JSON state files, streamed with Jackson, in a layout that extends the reference module's:
 *
 * <pre>{@code
 * {"version":"2.0.0", "format":"vecpersist-json", "kind":"full",
 *  "options":{"dimension":384,"metric":"cosine"},
 *  "stats":{"count":2,"dimension":384,"metric":"cosine","deletions":0},
 *  "timestamp":1700000000000, "userMetadata":{}, "indexState":"<base64>",
 *  "vectors":[{"id":"a","vector":[0.1,...],"metadata":{...}}, ...],
 *  "deleted":["x", ...],                      (deltas only)
 *  "checksum":"crc32c:1a2b3c4d"}
 * }</pre>
 *
 * Floats are written in their shortest round-tripping form and read back bit for bit. Files of the
 * reference module ({@code "version":"1.0.0"}) load too. Stateless and thread-safe.
 */
public final class JsonStateFormat implements StateFormat {

    /** The layout version this class writes; readers accept it and version 1 (the reference module's). */
    public static final int VERSION = 2;

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

    @Override
    public boolean recognizes(byte[] head, int length) {
        int i = 0;
        if (length >= 3 && head[0] == (byte) 0xef && head[1] == (byte) 0xbb && head[2] == (byte) 0xbf) {
            i = 3; // UTF-8 byte order mark
        }
        i = skipWhitespace(head, i, length);
        if (i >= length || head[i] != '{') {
            return false;
        }
        i = skipWhitespace(head, i + 1, length);
        return i < length && head[i] == '"';
    }

    private static int skipWhitespace(byte[] b, int i, int length) {
        while (i < length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    @Override
    public StateWriter newWriter(StateSink sink, StateHeader header) throws IOException {
        return new JsonStateWriter(sink.stream(), header);
    }

    @Override
    public StateReader newReader(StateSource source) throws IOException {
        return new JsonStateReader(source.stream(), source.displayName());
    }
}
