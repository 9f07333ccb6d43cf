package dev.vecpersist.codec.brotli;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.testkit.CompressionCodecContract;
import dev.vecpersist.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BrotliCodecTest extends CompressionCodecContract {

    @TempDir
    Path dir;

    @Override
    protected CompressionCodec codec() {
        return new BrotliCodec();
    }

    @Test
    void aPrefixOfTheStreamDecodesToTheFirstBytes() throws Exception {
        byte[] data = sample(2_000_000);
        byte[] compressed = compress(data, codec().defaultLevel());
        byte[] prefix = Arrays.copyOf(compressed, Math.min(16 * 1024, compressed.length / 4));
        byte[] first = new byte[1024];
        int n = 0;
        try (InputStream in = codec().decompress(new ByteArrayInputStream(prefix))) {
            while (n < first.length) {
                int r = in.read(first, n, first.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (java.io.IOException expectedAtTheCut) {
            // the prefix ends mid-stream
        }
        assertThat(n).isEqualTo(first.length);
        assertThat(first).isEqualTo(Arrays.copyOf(data, first.length));
    }

    @Test
    void readsTheReferenceModulesBrotliFile() throws Exception {
        Path fixtures = Fixtures.referenceModule();
        String json = new String(decompress(Files.readAllBytes(fixtures.resolve("small.json.brotli"))), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"version\":\"1.0.0\",\"options\":{\"dimension\":16,\"metric\":\"cosine\"}");
        assertThat(json).hasSameSizeAs(Files.readString(fixtures.resolve("small.bin")));
    }

    @Test
    void theBrotliCommandReadsOurOutput() throws Exception {
        boolean command;
        try {
            command = new ProcessBuilder("brotli", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            command = false;
        }
        assumeTrue(command, "the brotli command is not installed (apt install brotli)");
        byte[] data = sample(500_000);
        Path ours = dir.resolve("ours.br");
        Files.write(ours, compress(data, 5));
        Process d = new ProcessBuilder("brotli", "-d", "-f", "-o", dir.resolve("ours.out").toString(), ours.toString())
                .redirectErrorStream(true).start();
        assertThat(d.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.exitValue()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("ours.out"))).isEqualTo(data);
    }
}
