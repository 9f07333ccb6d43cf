package dev.vecpersist.codec.gzip;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.testkit.CompressionCodecContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GzipCodecTest extends CompressionCodecContract {

    @TempDir
    Path dir;

    @Override
    protected CompressionCodec codec() {
        return new GzipCodec();
    }

    @Test
    void outputIsReadableByTheGzipCommand() throws IOException, InterruptedException {
        byte[] data = sample(50_000);
        Path gz = dir.resolve("data.gz");
        Files.write(gz, compress(data, 6));
        Process gunzip = new ProcessBuilder("gzip", "-d", "-c", gz.toString())
                .redirectOutput(dir.resolve("out").toFile()).start();
        assertThat(gunzip.waitFor()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out"))).isEqualTo(data);
    }

    @Test
    void readsTheReferenceModulesGzipFile() throws IOException {
        Path fixtures = dev.vecpersist.testkit.Fixtures.referenceModule();
        String json = new String(decompress(Files.readAllBytes(fixtures.resolve("small.json.gzip"))), java.nio.charset.StandardCharsets.UTF_8);
        String oneLine = Files.readString(fixtures.resolve("small.bin"));
        // the two files come from separate saves: same state, different timestamp and checksum
        int tail = oneLine.lastIndexOf("],\"timestamp\":");
        assertThat(tail).isPositive();
        assertThat(json).startsWith(oneLine.substring(0, tail)).hasSameSizeAs(oneLine);
    }
}
