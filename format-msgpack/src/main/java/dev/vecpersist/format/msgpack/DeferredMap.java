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

    private final byte[] bytes;
    private final long offset;
    private final long entry;
    private final MetadataDecoder decoder;
    private Map<String, Object> decoded;

    /**
     * @param bytes   the map, one complete MessagePack value ({@link MetadataExtent})
     * @param offset  where it starts in the content, for error messages
     * @param entry   the entry's index, for error messages
     * @param decoder decodes it
     */
    DeferredMap(byte[] bytes, long offset, long entry, MetadataDecoder decoder) {
        this.bytes = bytes;
        this.offset = offset;
        this.entry = entry;
        this.decoder = decoder;
    }

    @Override
    public synchronized Map<String, Object> decode() {
        if (decoded == null) {
            decoded = decoder.decode(bytes, offset, entry);
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
