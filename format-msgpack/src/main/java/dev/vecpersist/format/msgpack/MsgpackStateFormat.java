package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Compact binary state files in MessagePack: a sequence of top-level objects that any MessagePack
 * library can read (see this module's README for the schema and a Python reader):
 *
 * <pre>
 * "VECPERSIST"                         magic (a fixstr)
 * {format, version, kind, dimension,   header map
 *  metric, entryCount, deletionCount,
 *  createdAt, userMetadata, indexState}
 * [id, vector, metadata]  x entryCount  vector: bin of dimension little-endian float32
 * id                      x deletionCount (deltas)
 * {checksum}                           trailer map
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class MsgpackStateFormat implements StateFormat {

    /** The layout version this class writes and reads. */
    public static final int VERSION = 1;

    /** The file's first bytes: the fixstr {@code "VECPERSIST"}. */
    static final byte[] MAGIC;

    static {
        byte[] text = "VECPERSIST".getBytes(StandardCharsets.US_ASCII);
        MAGIC = new byte[text.length + 1];
        MAGIC[0] = (byte) (0xa0 | text.length);
        System.arraycopy(text, 0, MAGIC, 1, text.length);
    }

    @Override
    public String name() {
        return "msgpack";
    }

    @Override
    public String fileExtension() {
        return "msgpack";
    }

    @Override
    public int formatVersion() {
        return VERSION;
    }

    @Override
    public boolean recognizes(byte[] head, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StateWriter newWriter(StateSink sink, StateHeader header) throws IOException {
        return new MsgpackStateWriter(sink.stream(), header);
    }

    @Override
    public StateReader newReader(StateSource source) throws IOException {
        return new MsgpackStateReader(source.stream(), source.displayName());
    }
}
