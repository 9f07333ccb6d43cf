package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an entry straight from the reader's {@link ByteWindow}, without the unpacker, when it has
 * the shape the writer gives every valid entry: {@code [id, vector, metadata]} with an id of at
 * most 255 bytes of valid UTF-8, a vector bin of exactly {@code dimension * 4} bytes in its
 * shortest header, all components finite, and a metadata map {@link MetadataExtent} frames, whose
 * bytes go to a {@link DeferredMap}. Anything else, valid or not, it leaves to the reader's own
 * decoding from the entry's start, which then decodes or reports it as it always did. Used only
 * when metadata is deferred ({@link MsgpackStateReader#deferMetadata()}). Not thread-safe.
 */
final class EntryFramer {

    private static final int FIXARRAY_3 = 0x93;
    private static final int STR8 = 0xd9;

    private final ByteWindow window;
    private final int dimension;
    private final LittleEndianFloats floats;
    private final MetadataExtent extent;
    private final MetadataArena arena;
    private final int binHeader;
    private long end;

    EntryFramer(ByteWindow window, int dimension, MetadataExtent extent, MetadataArena arena) {
        this.window = window;
        this.dimension = dimension;
        this.floats = new LittleEndianFloats(dimension);
        this.extent = extent;
        this.arena = arena;
        int bytes = dimension * Float.BYTES;
        this.binHeader = bytes <= 0xff ? 2 : bytes <= 0xffff ? 3 : 5;
    }

    /**
     * @param start where the entry starts
     * @param index the entry's index
     * @return the entry, its metadata deferred; null when the reader should decode it itself
     */
    VectorEntry entry(long start, long index) throws IOException {
        if (!window.ensure(start, start + 3)) {
            return null;
        }
        byte[] a = window.array();
        int i = window.index(start);
        if ((a[i] & 0xff) != FIXARRAY_3) {
            return null;
        }
        int b = a[i + 1] & 0xff;
        int idHeader;
        int idLength;
        if ((b & 0xe0) == 0xa0) {
            idHeader = 1;
            idLength = b & 0x1f;
        } else if (b == STR8) {
            idHeader = 2;
            idLength = a[i + 2] & 0xff;
        } else {
            return null;
        }
        int vectorBytes = dimension * Float.BYTES;
        long vector = start + 1 + idHeader + idLength + binHeader;
        if (!window.ensure(start, vector + vectorBytes)) {
            return null;
        }
        a = window.array();
        i = window.index(start);
        int id = i + 1 + idHeader;
        if (!vectorHeader(a, id + idLength, vectorBytes)) {
            return null;
        }
        String decodedId = id(a, id, idLength);
        if (decodedId == null) {
            return null;
        }
        float[] components = new float[dimension];
        if (!floats.get(a, window.index(vector), components)) {
            return null;
        }
        long metadata = vector + vectorBytes;
        long metadataEnd = extent.end(window, start, metadata);
        if (metadataEnd < 0) {
            return null;
        }
        end = metadataEnd;
        return new VectorEntry(decodedId, components, arena.defer(window, metadata, metadataEnd, index));
    }

    /** {@return where the entry last returned by {@link #entry} ends} */
    long end() {
        return end;
    }

    /** Whether the bin header at {@code i} is the shortest one for {@code length} bytes, as the writer puts it. */
    private boolean vectorHeader(byte[] a, int i, int length) {
        return switch (binHeader) {
            case 2 -> (a[i] & 0xff) == 0xc4 && (a[i + 1] & 0xff) == length;
            case 3 -> (a[i] & 0xff) == 0xc5 && ((a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff)) == length;
            default -> (a[i] & 0xff) == 0xc6 && ((a[i + 1] & 0xff) << 24 | (a[i + 2] & 0xff) << 16
                    | (a[i + 3] & 0xff) << 8 | (a[i + 4] & 0xff)) == length;
        };
    }

    /** The id, as {@link ValueDecoder#string} decodes it; null when it is not valid UTF-8 (the reader reports that). */
    private static String id(byte[] a, int from, int length) {
        int bits = 0;
        for (int k = from; k < from + length; k++) {
            bits |= a[k];
        }
        if (bits >= 0) {
            return new String(a, from, length, StandardCharsets.ISO_8859_1); // ASCII: the same string, without a decoder
        }
        String s = new String(a, from, length, StandardCharsets.UTF_8);
        return s.indexOf('\uFFFD') >= 0 ? null : s;
    }
}
