package dev.vecpersist.format.msgpack;

/**
 * Where the reader copies the metadata maps it defers ({@link DeferredMap}): one after the other
 * into shared chunks instead of an array each, so that the thread decoding them reads each chunk
 * with one unpacker input, map after map ({@link MetadataDecoder}). A chunk is dropped when its
 * maps are. Not thread-safe: the reader's thread fills it; the decoding thread only reads what
 * was handed over to it.
 */
final class MetadataArena {

    private static final int CHUNK = 256 << 10;

    private final MetadataDecoder decoder;
    private byte[] chunk = new byte[CHUNK];
    private int used;

    /** @param decoder decodes the maps */
    MetadataArena(MetadataDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Copies one map out of the window.
     *
     * @param window holds it
     * @param from   where it starts in the content
     * @param to     where it ends
     * @param entry  the entry's index
     * @return the map, to be decoded later
     */
    DeferredMap defer(ByteWindow window, long from, long to, long entry) {
        int length = (int) (to - from);
        if (length > chunk.length - used) {
            chunk = new byte[Math.max(CHUNK, length)];
            used = 0;
        }
        System.arraycopy(window.array(), window.index(from), chunk, used, length);
        DeferredMap map = new DeferredMap(chunk, used, from, entry, decoder);
        used += length;
        return map;
    }
}
