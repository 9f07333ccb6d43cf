package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.DeferredMetadata;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * An entry's metadata map as its bytes, decoded by {@link MetadataDecoder} when first needed (see
 * {@link DeferredMetadata}). Unmodifiable, as the decoded maps are.
 */
final class DeferredMap extends AbstractMap<String, Object> implements DeferredMetadata {

    private byte[] chunk;
    private final int at;
    private final long offset;
    private final long entry;
    private final MetadataDecoder decoder;
    private Map<String, Object> decoded;

    /**
     * @param chunk   holds the map, one complete MessagePack value ({@link MetadataExtent}), from {@code at} on
     * @param at      where it starts in {@code chunk}
     * @param offset  where it starts in the content, for error messages
     * @param entry   the entry's index, for error messages
     * @param decoder decodes it
     */
    DeferredMap(byte[] chunk, int at, long offset, long entry, MetadataDecoder decoder) {
        this.chunk = chunk;
        this.at = at;
        this.offset = offset;
        this.entry = entry;
        this.decoder = decoder;
    }

    @Override
    public synchronized Map<String, Object> decode() {
        if (decoded == null) {
            decoded = decoder.decode(chunk, at, offset, entry);
            chunk = null; // the chunk goes once its maps are decoded
        }
        return decoded;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return decode().entrySet();
    }

    @Override
    public int size() {
        return decode().size();
    }

    @Override
    public Object get(Object key) {
        return decode().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return decode().containsKey(key);
    }
}
