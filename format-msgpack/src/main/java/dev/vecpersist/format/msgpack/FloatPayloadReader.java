package dev.vecpersist.format.msgpack;

import org.msgpack.core.buffer.MessageBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Copies a vector's payload, little-endian float32s, from where the unpacker holds it into a
 * {@code float[]} in one bulk copy. The payload is a reference into the unpacker's buffer, which is
 * the same array read after read; the float views over that array are kept, one per byte offset
 * modulo 4 (a {@code FloatBuffer} view counts floats from where it starts), so that a vector costs
 * no allocation but its array and no copy but the one into it. Not thread-safe.
 */
final class FloatPayloadReader {

    private byte[] viewed;
    /** {@code views[k]}'s float {@code j} is at byte {@code k + 4j} of {@link #viewed}. */
    private final FloatBuffer[] views = new FloatBuffer[Float.BYTES];

    /**
     * Fills {@code out} from the payload.
     *
     * @param payload exactly {@code out.length * 4} bytes, valid until the unpacker reads on
     * @param out     receives the components
     */
    void read(MessageBuffer payload, float[] out) {
        if (!payload.hasArray()) {
            // the reader's unpacker reads a stream into a heap buffer, so this does not happen
            throw new IllegalStateException("a MessagePack payload outside the heap");
        }
        byte[] array = payload.array();
        if (array != viewed) {
            view(array);
        }
        int offset = payload.arrayOffset();
        views[offset & (Float.BYTES - 1)].get(offset >>> 2, out);
    }

    private void view(byte[] array) {
        ByteBuffer bytes = ByteBuffer.wrap(array);
        for (int k = 0; k < Float.BYTES; k++) {
            views[k] = bytes.position(k).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        viewed = array;
    }
}
