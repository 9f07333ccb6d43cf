package dev.vecpersist.format.msgpack;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds MessagePack state files byte by byte, for inputs our writer would never produce. */
final class Handcrafted {

    /** What follows the header. */
    interface Body {
        void write(MessagePacker p) throws IOException;
    }

    private Handcrafted() {
    }

    /** A full-state header (every required key) with the given values, then the body. */
    static byte[] state(long version, long dimension, long entryCount, Body body) {
        return custom(p -> {
            p.packMapHeader(8);
            p.packString("version").packLong(version);
            p.packString("kind").packString("full");
            p.packString("dimension").packLong(dimension);
            p.packString("metric").packString("cosine");
            p.packString("entryCount").packLong(entryCount);
            p.packString("deletionCount").packLong(0);
            p.packString("createdAt").packLong(0);
            p.packString("userMetadata").packMapHeader(0);
            body.write(p);
        });
    }

    /** The magic, then whatever {@code rest} writes. */
    static byte[] custom(Body rest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MessagePacker p = MessagePack.newDefaultPacker(bytes)) {
            p.writePayload(MsgpackLayout.MAGIC);
            rest.write(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One entry [id, vector of zeros, {}] of the given dimension. */
    static void zeroEntry(MessagePacker p, String id, int dimension) throws IOException {
        p.packArrayHeader(3).packString(id).packBinaryHeader(dimension * 4).writePayload(new byte[dimension * 4]);
        p.packMapHeader(0);
    }

    /** A trailer with a checksum. */
    static void trailer(MessagePacker p, String checksum) throws IOException {
        p.packMapHeader(1).packString("checksum").packString(checksum);
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        Path f = dir.resolve(name + ".msgpack");
        Files.write(f, content);
        return f;
    }
}
