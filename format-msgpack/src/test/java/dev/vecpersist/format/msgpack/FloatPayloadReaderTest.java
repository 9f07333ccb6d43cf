package dev.vecpersist.format.msgpack;

import org.junit.jupiter.api.Test;
import org.msgpack.core.buffer.MessageBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FloatPayloadReaderTest {

    private static final float[] VECTOR = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.5f, Float.NaN,
            Float.intBitsToFloat(0x7fc00123), Float.NEGATIVE_INFINITY, 3.25f};

    private static void put(byte[] array, int offset) {
        ByteBuffer b = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < VECTOR.length; i++) {
            b.putInt(offset + 4 * i, Float.floatToRawIntBits(VECTOR[i]));
        }
    }

    private static void assertBitForBit(float[] out) {
        for (int i = 0; i < VECTOR.length; i++) {
            assertThat(Float.floatToRawIntBits(out[i])).as("component %d", i).isEqualTo(Float.floatToRawIntBits(VECTOR[i]));
        }
    }

    @Test
    void readsAtEveryOffsetOfOneArrayAndAfterSwitchingArrays() {
        FloatPayloadReader reader = new FloatPayloadReader();
        byte[] buffer = new byte[200];
        new Random(1).nextBytes(buffer);
        for (int round = 0; round < 2; round++) {
            for (int offset : new int[] {0, 1, 2, 3, 4, 5, 7, 200 - 4 * VECTOR.length}) {
                byte[] array = round == 0 ? buffer : buffer.clone(); // the second round: a new array each time
                put(array, offset);
                float[] out = new float[VECTOR.length];
                reader.read(MessageBuffer.wrap(array, offset, 4 * VECTOR.length), out);
                assertBitForBit(out);
            }
        }
    }
}
