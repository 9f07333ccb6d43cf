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

    /** @param source names the content in error messages */
    MetadataDecoder(String source) {
        this.u = MsgpackStateReader.CONFIG.newUnpacker(input);
        this.pos = new ReadPosition(source, u);
        this.values = new ValueDecoder(u, pos);
    }

    /**
     * @param bytes  one complete map
     * @param offset where it starts in the content
     * @param entry  the entry's index
     * @return the map, as the reader's own {@link ValueDecoder#map} returns it
     * @throws CorruptedStateException as the reader would have thrown it
     */
    synchronized Map<String, Object> decode(byte[] bytes, long offset, long entry) {
        try {
            input.reset(bytes);
            u.reset(input);
            pos.at(ReadPosition.Part.ENTRY, entry);
            pos.rebase(offset);
            return values.map(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array input does not fail
        } catch (RuntimeException e) {
            throw pos.translate(e);
        }
    }
}
