package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes one MessagePack state; see {@link MsgpackStateFormat}. Not thread-safe. */
final class MsgpackStateWriter implements StateWriter {

    private static final MessagePack.PackerConfig CONFIG = new MessagePack.PackerConfig().withBufferSize(1 << 16);

    private final MessagePacker packer;
    private final StateHeader header;
    private final ByteBuffer vectorBytes;

    MsgpackStateWriter(OutputStream out, StateHeader header) throws IOException {
        this.header = header;
        this.packer = CONFIG.newPacker(out);
        this.vectorBytes = ByteBuffer.allocate(header.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        packer.writePayload(MsgpackStateFormat.MAGIC);
        packer.packMapHeader(10);
        packer.packString("format").packString("vecpersist-msgpack");
        packer.packString("version").packInt(MsgpackStateFormat.VERSION);
        packer.packString("kind").packString(header.kind().name().toLowerCase(Locale.ROOT));
        packer.packString("dimension").packInt(header.dimension());
        packer.packString("metric").packString(header.metric().fileName());
        packer.packString("entryCount").packLong(header.entryCount());
        packer.packString("deletionCount").packLong(header.deletionCount());
        packer.packString("createdAt").packLong(header.createdAt().toEpochMilli());
        packer.packString("userMetadata");
        packValue(header.userMetadata());
        packer.packString("indexState");
        byte[] index = header.indexState();
        if (index == null) {
            packer.packNil();
        } else {
            packer.packBinaryHeader(index.length).writePayload(index);
        }
    }

    @Override
    public void writeEntry(VectorEntry entry) throws IOException {
        float[] v = entry.vector();
        vectorBytes.clear();
        vectorBytes.asFloatBuffer().put(v);
        packer.packArrayHeader(3);
        packer.packString(entry.id());
        packer.packBinaryHeader(vectorBytes.capacity());
        packer.writePayload(vectorBytes.array(), 0, vectorBytes.capacity());
        packValue(entry.metadata());
    }

    @Override
    public void writeDeletion(String id) throws IOException {
        if (header.kind() != StateHeader.Kind.DELTA) {
            throw new IllegalStateException("only a delta state has deletions");
        }
        packer.packString(id);
    }

    @Override
    public void finish(String checksum) throws IOException {
        packer.packMapHeader(1);
        packer.packString("checksum").packString(checksum);
        packer.flush();
    }

    @Override
    public void close() throws IOException {
        // the sink's stream belongs to the caller: flush what is buffered, never close it
        packer.flush();
    }

    private void packValue(Object value) throws IOException {
        if (value == null) {
            packer.packNil();
        } else if (value instanceof String s) {
            packer.packString(s);
        } else if (value instanceof Boolean b) {
            packer.packBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            packer.packLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            packer.packDouble(((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            packer.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                packer.packString(String.valueOf(e.getKey()));
                packValue(e.getValue());
            }
        } else if (value instanceof List<?> list) {
            packer.packArrayHeader(list.size());
            for (Object item : list) {
                packValue(item);
            }
        } else {
            throw new IllegalArgumentException("not a metadata value: " + value.getClass().getName());
        }
    }
}
