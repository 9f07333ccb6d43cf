package dev.vecpersist.codec.brotli;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.CorruptedStateException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Large-window streams are told apart from standard ones by their first two bytes (issue 23, item 5). */
class BrotliLargeWindowTest {

    private final BrotliCodec codec = new BrotliCodec();

    @Test
    void noStandardStreamLooksLikeALargeWindowOne() throws IOException {
        byte[] data = new byte[50_000];
        new Random(1).nextBytes(data);
        for (int quality = 0; quality <= 11; quality += 1) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream c = codec.compress(out, quality)) {
                c.write(data, 0, quality % 2 == 0 ? data.length : 100);
            }
            byte[] stream = out.toByteArray();
            assertThat(codec.detect(stream, stream.length)).as("quality " + quality)
                    .isEqualTo(CompressionCodec.Detection.TRY_DECODING);
        }
    }

    @Test
    void aLargeWindowHeaderIsRecognisedAndRefused() {
        // what `brotli --large_window=30` writes first: the reserved window bits 0010001, a 0, then 30 in 6 bits
        byte[] head = {0x11, 0x5e, 0x0c, 0x19, 0x00, 0x10};
        assertThat(codec.detect(head, head.length)).isEqualTo(CompressionCodec.Detection.MATCH);
        assertThatThrownBy(() -> codec.decompress(new ByteArrayInputStream(head)))
                .isInstanceOf(CorruptedStateException.class)
                .hasMessage(BrotliCodec.LARGE_WINDOW)
                .hasMessageContaining("recompress with brotli without --large_window");
        byte[] window31 = {0x11, 0x1f};
        assertThat(codec.detect(window31, 2)).isEqualTo(CompressionCodec.Detection.TRY_DECODING);
    }
}
