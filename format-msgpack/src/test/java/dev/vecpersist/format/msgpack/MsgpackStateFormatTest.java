package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.StateFormatContract;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MsgpackStateFormatTest extends StateFormatContract {

    @Override
    protected StateFormat format() {
        return new MsgpackStateFormat();
    }

    private Path handcrafted(String name, int version, long dimension, long count, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MessagePacker p = MessagePack.newDefaultPacker(bytes)) {
            p.writePayload(MsgpackStateFormat.MAGIC);
            p.packMapHeader(8);
            p.packString("version").packInt(version);
            p.packString("kind").packString("full");
            p.packString("dimension").packLong(dimension);
            p.packString("metric").packString("cosine");
            p.packString("entryCount").packLong(count);
            p.packString("deletionCount").packLong(0);
            p.packString("createdAt").packLong(0);
            p.packString("userMetadata").packMapHeader(0);
            body.write(p);
        }
        Path f = dir.resolve(name);
        Files.write(f, bytes.toByteArray());
        return f;
    }

    interface Body {
        void write(MessagePacker p) throws IOException;
    }

    @Test
    void refusesANewerVersion() throws IOException {
        Path f = handcrafted("future", 9, 2, 0, p -> p.packMapHeader(0));
        assertThatThrownBy(() -> StateFiles.read(format(), f)).isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void hostileLengthsFailFastWithoutAllocating() throws IOException {
        Path hugeBin = handcrafted("huge-bin", 1, 4, 1, p -> {
            p.packArrayHeader(3).packString("a");
            p.packBinaryHeader(Integer.MAX_VALUE);
        });
        assertThatThrownBy(() -> StateFiles.read(format(), hugeBin)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("expected 16");
        Path hugeMap = handcrafted("huge-map", 1, 1, 1, p -> {
            p.packArrayHeader(3).packString("a").packBinaryHeader(4).writePayload(new byte[4]);
            p.packMapHeader(Integer.MAX_VALUE);
        });
        assertThatThrownBy(() -> StateFiles.read(format(), hugeMap)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("claims");
        Path hugeDimension = handcrafted("huge-dim", 1, Integer.MAX_VALUE, 1, p -> { });
        assertThatThrownBy(() -> StateFiles.read(format(), hugeDimension)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("dimension");
        Path hugeCount = handcrafted("huge-count", 1, 2, Long.MAX_VALUE, p -> { });
        assertThatThrownBy(() -> StateFiles.read(format(), hugeCount)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("truncated");
        Path hugeString = handcrafted("huge-string", 1, 2, 1, p -> p.packArrayHeader(3).packRawStringHeader(Integer.MAX_VALUE));
        assertThatThrownBy(() -> StateFiles.read(format(), hugeString)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("bytes long");
    }

    @Test
    void invalidUtf8IsCorrupt() throws IOException {
        Path f = handcrafted("utf8", 1, 1, 1, p -> {
            p.packArrayHeader(3).packRawStringHeader(2).writePayload(new byte[] {(byte) 0xc3, (byte) 0x28});
        });
        assertThatThrownBy(() -> StateFiles.read(format(), f)).isInstanceOf(CorruptedStateException.class)
                .hasMessageContaining("UTF-8");
    }
}
