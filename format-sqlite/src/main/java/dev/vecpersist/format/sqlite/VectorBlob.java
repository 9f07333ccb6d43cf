package dev.vecpersist.format.sqlite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes vector columns: float32 components, little-endian. Finiteness is checked on the raw
 * bits, copied in bulk into a reused {@code int[]} so that the check is a loop the JIT vectorises
 * (a per-component check over the floats took much of the reader's time under JFR), and the
 * components are copied in bulk. Not thread-safe.
 */
final class VectorBlob {

    private final int[] bits;

    /** @param dimension components per vector */
    VectorBlob(int dimension) {
        this.bits = new int[dimension];
    }

    /**
     * Decodes a blob of {@code out.length * 4} bytes.
     *
     * @param blob the column's bytes
     * @param out  receives the components
     * @return -1 when every component is finite, otherwise the index of the first that is not
     *         ({@code out} is then left unspecified)
     */
    int decode(byte[] blob, float[] out) {
        ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().get(bits);
        int acc = 0;
        for (int b : bits) {
            // only an all-ones exponent (NaN, infinity) carries into the sign bit
            acc |= (b & 0x7f800000) + 0x00800000;
        }
        if (acc < 0) {
            for (int i = 0; i < bits.length; i++) {
                if (!Float.isFinite(Float.intBitsToFloat(bits[i]))) {
                    return i;
                }
            }
        }
        buffer.asFloatBuffer().get(out);
        return -1;
    }

    /** {@return the component at {@code index} of the blob last decoded} */
    float component(int index) {
        return Float.intBitsToFloat(bits[index]);
    }
}
