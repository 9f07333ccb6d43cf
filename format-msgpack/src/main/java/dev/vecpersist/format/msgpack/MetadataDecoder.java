package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Decodes the metadata maps a reader deferred ({@link DeferredMap}), on whichever thread forces
 * them, with an unpacker and a {@link ValueDecoder} of its own: the same decoding as the reader's,
 * over the same bytes, so the same errors, placed by the map's offset in the content. One map at a
 * time (synchronized: the library forces them on one thread, in order, so the lock is uncontended).
 */
final class MetadataDecoder {

    private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);
    private final MessageUnpacker u;
    private final ReadPosition pos;
    private final ValueDecoder values;
    /** The chunk the unpacker reads, and where in it the unpacker was last reset. */
    private byte[] chunk;
    private int resetAt;

    /** @param source names the content in error messages */
    MetadataDecoder(String source) {
        this.u = MsgpackStateReader.CONFIG.newUnpacker(input);
        this.pos = new ReadPosition(source, u);
        this.values = new ValueDecoder(u, pos);
    }

    /**
     * @param bytes  holds one complete map from {@code at} on ({@link MetadataArena})
     * @param at     where it starts in {@code bytes}
     * @param offset where it starts in the content
     * @param entry  the entry's index
     * @return the map, as the reader's own {@link ValueDecoder#map} returns it
     * @throws CorruptedStateException as the reader would have thrown it
     */
    synchronized Map<String, Object> decode(byte[] bytes, int at, long offset, long entry) {
        try {
            if (bytes != chunk || u.getTotalReadBytes() != at - resetAt) {
                // a new chunk (or not the map after the last one): one input for the maps that follow
                input.reset(bytes, at, bytes.length - at);
                u.reset(input);
                chunk = bytes;
                resetAt = at;
            }
            pos.at(ReadPosition.Part.ENTRY, entry);
            pos.rebase(offset - (at - resetAt));
            return values.map(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array input does not fail
        } catch (RuntimeException e) {
            throw pos.translate(e);
        }
    }
}
