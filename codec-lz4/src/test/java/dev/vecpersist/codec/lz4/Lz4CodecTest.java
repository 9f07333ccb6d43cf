package dev.vecpersist.codec.lz4;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.testkit.CompressionCodecContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Lz4CodecTest extends CompressionCodecContract {

    @TempDir
    Path dir;

    @Override
    protected CompressionCodec codec() {
        return new Lz4Codec();
    }

    private static boolean hasCommand() {
        try {
            return new ProcessBuilder("lz4", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theLz4CommandReadsOurFramesAndWeReadItsFrames() throws Exception {
        assumeTrue(hasCommand(), "the lz4 command is not installed (apt install lz4)");
        byte[] data = sample(3_000_000);
        Path ours = dir.resolve("ours.lz4");
        Files.write(ours, compress(data, 0));
        Process d = new ProcessBuilder("lz4", "-d", "-f", ours.toString(), dir.resolve("ours.out").toString())
                .redirectErrorStream(true).start();
        assertThat(d.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.exitValue()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("ours.out"))).isEqualTo(data);

        Path plain = dir.resolve("plain");
        Files.write(plain, data);
        Process c = new ProcessBuilder("lz4", "-f", plain.toString(), dir.resolve("theirs.lz4").toString())
                .redirectErrorStream(true).start();
        assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(decompress(Files.readAllBytes(dir.resolve("theirs.lz4")))).isEqualTo(data);
    }

    @Test
    void framesCarryAContentChecksum() throws Exception {
        byte[] frame = compress(sample(1000), 0);
        // FLG byte: version 01, block independence, block checksum, content checksum
        assertThat(frame[4] & 0x04).as("content checksum flag").isEqualTo(0x04);
        assertThat(frame[4] & 0x10).as("block checksum flag").isEqualTo(0x10);
    }
}
