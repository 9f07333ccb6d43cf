package dev.vecpersist.format.json;

import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelEntryEncoderTest {

    /** Records the size of every array handed to it, as well as the bytes. */
    private static final class Recording extends ByteArrayOutputStream {
        int largestArray;
        int chunkWrites;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (len > 1) {
                largestArray = Math.max(largestArray, b.length);
                chunkWrites++;
            }
            super.write(b, off, len);
        }
    }

    private static List<VectorEntry> entries(int n, int dimension) {
        Random random = new Random(dimension);
        List<VectorEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            entries.add(new VectorEntry("e" + i, v, i % 3 == 0 ? Map.of() : Map.of("i", (long) i)));
        }
        return entries;
    }

    private static Recording encode(List<VectorEntry> entries) throws IOException {
        Recording out = new Recording();
        try (ParallelEntryEncoder encoder = new ParallelEntryEncoder(out)) {
            for (VectorEntry e : entries) {
                encoder.add(e);
            }
            encoder.drain();
        }
        return out;
    }

    /**
     * Long vectors come in chunks of fewer entries, each chunk's array below half of G1's smallest
     * region (512 KiB), so that none is allocated as humongous; the text is the same as one encoder's.
     */
    @Test
    void chunksOfLongVectorsStayBelowHalfAnyG1Region() throws IOException {
        for (int dimension : new int[] {384, 1536, 4096}) {
            List<VectorEntry> entries = entries(700, dimension);
            Recording out = encode(entries);
            assertThat(out.largestArray).as("dimension %d", dimension).isLessThan(512 << 10);
            assertThat(out.chunkWrites).as("dimension %d", dimension)
                    .isGreaterThan(700 / ParallelEntryEncoder.CHUNK_ENTRIES + 1);
            EntryChunkEncoder.Bytes whole = EntryChunkEncoder.encode(entries);
            assertThat(out.toString(StandardCharsets.UTF_8)).as("dimension %d", dimension)
                    .isEqualTo(new String(whole.bytes, 0, whole.length, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shortVectorsStillComeInChunksOfTheFullEntryCount() throws IOException {
        int n = 3 * ParallelEntryEncoder.CHUNK_ENTRIES + 17;
        Recording out = encode(entries(n, 16));
        assertThat(out.chunkWrites).isEqualTo(4);
    }
}
