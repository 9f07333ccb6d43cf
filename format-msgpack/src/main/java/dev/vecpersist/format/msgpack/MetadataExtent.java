package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.MetadataValues;

import java.io.IOException;

import static dev.vecpersist.format.msgpack.MsgpackLayout.MAX_CONTAINER;

/**
 * Finds where an entry's metadata map ends without decoding it: the MessagePack framing only
 * (headers, lengths, nesting), so that the reader can hand the map's bytes to another thread to
 * decode. It gives up (and the reader decodes on its own thread, where {@link ValueDecoder} says
 * what is wrong) on anything {@link ValueDecoder} would refuse by its kind alone (not a map at the
 * top, binaries, extensions, the unused format byte), on nesting or a container beyond the limits,
 * on a map longer than {@value #MAX_BYTES} bytes, and when the content ends inside it: what it
 * accepts is one complete value, so that decoding exactly those bytes reads what decoding the
 * stream would have read, with the same errors at the same offsets. Not thread-safe.
 */
final class MetadataExtent {

    /** Larger maps are decoded where they are read: they are rare, and this bounds what is copied. */
    static final int MAX_BYTES = 64 << 10;
    /** Nesting a map of an entry may have: ValueDecoder refuses deeper ones. */
    private static final int MAX_LEVELS = MetadataValues.MAX_DEPTH;
    private static final int GIVE_UP = -1;
    private static final int NEED_MORE = -2;

    private final int[] remaining = new int[MAX_LEVELS + 1];

    /**
     * @param window the reader's input
     * @param start  where the map starts, an offset within the window
     * @return where it ends (exclusive), or -1 when the reader should decode it itself
     */
    long end(ByteWindow window, long start) throws IOException {
        long want = start + 1;
        while (window.ensure(start, want)) {
            int from = window.index(start);
            int available = window.available(start);
            int end = scan(window.array(), from, from + Math.min(available, MAX_BYTES));
            if (end >= 0) {
                return start + (end - from);
            }
            if (end == GIVE_UP || available >= MAX_BYTES) {
                return -1;
            }
            want = start + Math.min(MAX_BYTES, 2L * available + 64); // read on and frame it again (rare: at a read's end)
        }
        return -1; // the content ends inside it
    }

    /** {@return the index after the map starting at {@code i}, {@link #GIVE_UP} or {@link #NEED_MORE} bytes before {@code limit}} */
    private int scan(byte[] a, int i, int limit) {
        int level = 0;
        remaining[0] = 1;
        while (true) {
            while (remaining[level] == 0) {
                if (level == 0) {
                    return i;
                }
                level--;
            }
            remaining[level]--;
            if (i >= limit) {
                return NEED_MORE;
            }
            int b = a[i] & 0xff;
            long elements = -1;
            if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
                i++; // fixints, nil, booleans
            } else if (b <= 0x8f) {
                i++;
                elements = 2L * (b & 0x0f);
            } else if (b <= 0x9f) {
                i++;
                elements = b & 0x0f;
            } else if (b <= 0xbf) {
                i += 1 + (b & 0x1f);
            } else {
                int header = switch (b) {
                    case 0xcc, 0xd0, 0xd9 -> 2;
                    case 0xcd, 0xd1, 0xda, 0xdc, 0xde -> 3;
                    case 0xca, 0xce, 0xd2, 0xdb, 0xdd, 0xdf -> 5;
                    case 0xcb, 0xcf, 0xd3 -> 9;
                    default -> 0; // bin, ext, 0xc1: ValueDecoder refuses them
                };
                if (header == 0) {
                    return GIVE_UP;
                }
                if (i + header > limit) {
                    return NEED_MORE;
                }
                long length = switch (header) {
                    case 2 -> a[i + 1] & 0xff;
                    case 3 -> ((a[i + 1] & 0xff) << 8) | (a[i + 2] & 0xff);
                    case 5 -> ((long) (a[i + 1] & 0xff) << 24) | ((a[i + 2] & 0xff) << 16) | ((a[i + 3] & 0xff) << 8) | (a[i + 4] & 0xff);
                    default -> 0;
                };
                i += header;
                switch (b) {
                    case 0xd9, 0xda, 0xdb -> {
                        if (length > limit - i) {
                            return NEED_MORE;
                        }
                        i += (int) length;
                    }
                    case 0xdc, 0xdd -> elements = length;
                    case 0xde, 0xdf -> elements = 2 * length;
                    default -> {
                        // a number: the header is all of it
                    }
                }
            }
            if (level == 0 && !(b >= 0x80 && b <= 0x8f || b == 0xde || b == 0xdf)) {
                return GIVE_UP; // the metadata is not a map
            }
            if (i > limit) {
                return NEED_MORE;
            }
            if (elements >= 0) {
                if (elements > 2L * MAX_CONTAINER || level + 1 >= MAX_LEVELS) {
                    return GIVE_UP;
                }
                level++;
                remaining[level] = (int) elements;
            }
        }
    }
}
