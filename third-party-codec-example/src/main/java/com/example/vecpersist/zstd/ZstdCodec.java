package com.example.vecpersist.zstd;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.LevelRange;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A codec shipped by a third party: Zstandard through zstd-jni. It depends on nothing of VecPersist
 * but {@code persistence-api}, and is found by {@link java.util.ServiceLoader} through its
 * {@code META-INF/services/dev.vecpersist.api.CompressionCodec} entry. Select it with
 * {@code PersistenceOptions.builder().compression("zstd")}; files are readable by {@code zstd -d}.
 */
public final class ZstdCodec implements CompressionCodec {

    private static final LevelRange LEVELS = new LevelRange(1, 19);
    private static final byte[] MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    @Override
    public String name() {
        return "zstd";
    }

    @Override
    public String fileExtension() {
        return "zst";
    }

    @Override
    public int defaultLevel() {
        return 1; // gzip-6's ratio on JSON at many times its speed
    }

    @Override
    public LevelRange levelRange() {
        return LEVELS;
    }

    @Override
    public OutputStream compress(OutputStream out, int level) throws IOException {
        LEVELS.check("zstd", level);
        ZstdOutputStream zstd = new ZstdOutputStream(out, level);
        zstd.setChecksum(true);
        return new BufferedOutputStream(zstd, 1 << 16);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        return new BufferedInputStream(new ZstdInputStream(in), 1 << 16);
    }

    @Override
    public Detection detect(byte[] head, int length) {
        if (length < MAGIC.length) {
            return Detection.NO_MATCH;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return Detection.NO_MATCH;
            }
        }
        return Detection.MATCH;
    }
}
