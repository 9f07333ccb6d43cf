package dev.vecpersist.format.json;

import dev.vecpersist.json.MetadataJson;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

import static dev.vecpersist.format.json.JsonLayout.*;

/**
 * Encodes a run of entries as the comma-separated JSON objects of the {@code "vectors"} array,
 * into one byte array. The fixed parts and the floats ({@link Float32Text}) go straight into the
 * bytes; an id that needs escaping and the metadata go through a Jackson generator of the module's
 * factory, so the text is byte for byte what one generator writing the whole state produces.
 * One encoder per chunk, on one thread.
 */
final class EntryChunkEncoder {

    private static final byte[] ID_OPEN = bytes("{\"" + ID + "\":");
    private static final byte[] VECTOR_OPEN = bytes(",\"" + VECTOR + "\":[");
    private static final byte[] METADATA_OPEN = bytes("],\"" + METADATA + "\":");

    /** The chunk's text; the generator appends to it when flushed. */
    private final Bytes out;
    private final JsonGenerator g;

    private EntryChunkEncoder(int capacity) throws IOException {
        this.out = new Bytes(capacity);
        this.g = JacksonSetup.FACTORY.createGenerator(out, JsonEncoding.UTF8);
        // ids and metadata objects are written as root values, one after the other: no separator
        g.setRootValueSeparator(null);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
    }

    /** The text of the entries, comma-separated, in {@code [0, length)} of the returned array's holder. */
    static Bytes encode(List<VectorEntry> entries) throws IOException {
        EntryChunkEncoder encoder = new EntryChunkEncoder((int) (entries.size() * estimatedBytes(entries.get(0))));
        try {
            boolean first = true;
            for (VectorEntry e : entries) {
                if (!first) {
                    encoder.out.put((byte) ',');
                }
                encoder.write(e);
                first = false;
            }
        } finally {
            encoder.g.close(); // releases its buffers; everything was flushed entry by entry
        }
        return encoder.out;
    }

    /** {@return about 12 bytes per float32 and some for the id and metadata: a chunk's array grows once at most} */
    static long estimatedBytes(VectorEntry entry) {
        return entry.vector().length * 12L + 256;
    }

    private void write(VectorEntry entry) throws IOException {
        out.put(ID_OPEN);
        String id = entry.id();
        if (!putPlainString(id)) {
            g.writeString(id);
            g.flush();
        }
        out.put(VECTOR_OPEN);
        float[] v = entry.vector();
        out.ensure(v.length * (Float32Text.MAX_LENGTH + 1) + METADATA_OPEN.length);
        byte[] b = out.bytes;
        int pos = out.length;
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b[pos++] = ',';
            }
            pos = Float32Text.write(v[i], b, pos);
        }
        out.length = pos;
        out.put(METADATA_OPEN);
        MetadataJson.write(g, entry.metadata());
        g.flush();
        out.put((byte) '}');
    }

    /** Writes a quoted string that needs no escaping (printable ASCII, no quote or backslash); false if it does. */
    private boolean putPlainString(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        out.ensure(n + 2);
        byte[] b = out.bytes;
        int pos = out.length;
        b[pos++] = '"';
        for (int i = 0; i < n; i++) {
            b[pos++] = (byte) s.charAt(i);
        }
        b[pos++] = '"';
        out.length = pos;
        return true;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A growable byte sink that hands over its array without copying: the text is {@code bytes[0, length)}. */
    static final class Bytes extends OutputStream {
        byte[] bytes;
        int length;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        void put(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        void put(byte[] b) {
            write(b, 0, b.length);
        }

        @Override
        public void write(int b) {
            put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
