package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;

import java.io.IOException;

/**
 * Compact binary state files in MessagePack, the fastest VecPersist format (name {@code "msgpack"},
 * extension {@code .msgpack}). A file is a sequence of top-level MessagePack objects that any
 * MessagePack library can read one after the other (the module's README has the schema and a
 * Python reader):
 *
 * <pre>
 * "VECPERSIST"                           magic: a fixstr, the bytes aa 56 45 43 50 45 52 53 49 53 54
 * {format, version, kind, dimension,     header map
 *  metric, entryCount, deletionCount,
 *  createdAt, userMetadata, indexState}
 * [id, vector, metadata]  x entryCount   vector: a bin of dimension little-endian float32
 * id                      x deletionCount (deltas)
 * {checksum}                             trailer map
 * </pre>
 *
 * <p>Writing and reading stream: one entry at a time, with reused buffers. The reader checks every
 * length before allocating (ids 64 KiB, strings 16 MiB, containers 2^20 elements, nesting
 * {@link dev.vecpersist.api.MetadataValues#MAX_DEPTH}, index state 1 GiB, vectors exactly
 * {@code dimension * 4} bytes) and the writer refuses what the reader would reject.
 *
 * <p>Stateless and thread-safe; each writer or reader it opens is for one thread.
 */
public final class MsgpackStateFormat implements StateFormat {

    /** The layout version this class writes and the newest it reads. */
    public static final int VERSION = MsgpackLayout.VERSION;

    /** Creates the format; {@link java.util.ServiceLoader} does so through the service registration. */
    public MsgpackStateFormat() {
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

    /**
     * Whether the content starts with the 11-byte magic (the fixstr {@code "VECPERSIST"}).
     *
     * @param head   the first bytes of the uncompressed content
     * @param length how many bytes of {@code head} are valid
     * @return true when all 11 magic bytes are there
     */
    @Override
    public boolean recognizes(byte[] head, int length) {
        byte[] magic = MsgpackLayout.MAGIC;
        if (head == null || Math.min(length, head.length) < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens a writer and writes the magic and the header (into the writer's buffer).
     *
     * @param sink   a {@link StateSink.ToStream}; the stream is flushed by {@link StateWriter#finish}, never closed
     * @param header the state's header
     * @return the writer
     * @throws IllegalArgumentException when the sink is a {@link StateSink.ToFile}, or the header holds what a
     *                                  reader would refuse (dimension, index state, user metadata beyond the limits)
     * @throws IOException              when the sink fails
     */
    @Override
    public StateWriter newWriter(StateSink sink, StateHeader header) throws IOException {
        if (!(sink instanceof StateSink.ToStream target)) {
            throw new IllegalArgumentException("the msgpack format writes to a stream, not to a file: " + sink.displayName());
        }
        return new MsgpackStateWriter(target.stream(), header);
    }

    /**
     * Opens a reader and reads the header.
     *
     * @param source a {@link StateSource.FromStream}; read, never closed
     * @return the reader, positioned before the first entry
     * @throws CorruptedStateException     when the content is not a valid MessagePack state
     * @throws IncompatibleStateException when its layout version is newer than {@link #VERSION}
     * @throws IllegalArgumentException    when the source is a {@link StateSource.FromFile}
     * @throws IOException                 when the source fails
     */
    @Override
    public StateReader newReader(StateSource source) throws IOException {
        if (!(source instanceof StateSource.FromStream origin)) {
            throw new IllegalArgumentException("the msgpack format reads from a stream, not from a file: " + source.displayName());
        }
        return new MsgpackStateReader(origin.stream(), origin.displayName());
    }
}
