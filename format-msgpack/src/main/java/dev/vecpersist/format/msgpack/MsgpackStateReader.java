package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import static dev.vecpersist.format.msgpack.MsgpackLayout.*;

/**
 * Reads one MessagePack state as a stream: the header when opened, then entries and deleted ids
 * one at a time, then the trailer. The header's counts say how many of each follow; counts are
 * never used to allocate. A vector must be a bin of exactly {@code dimension * 4} bytes, checked
 * before it is read; whether its components are finite is left to the manager, which checks every
 * entry it loads against its rules (a second check here measured as a tenth of the decoding
 * thread's time). Whatever the unpacker throws on bad input becomes a
 * {@link CorruptedStateException} naming the source, the entry and the byte offset; failures of
 * the source stream itself pass through. Not thread-safe.
 */
final class MsgpackStateReader implements StateReader {

    /** As large as the manager's read buffer (1 MiB), so that its reads pass through that buffer without a copy. */
    private static final int BUFFER = 1 << 20;
    /** Strict types: a str is never read as a bin, nor a bin as a str. */
    private static final MessagePack.UnpackerConfig CONFIG = new MessagePack.UnpackerConfig()
            .withBufferSize(BUFFER).withAllowReadingBinaryAsString(false).withAllowReadingStringAsBinary(false);

    private final MessageUnpacker u;
    private final ReadPosition pos;
    private final ValueDecoder values;
    private final StateHeader header;
    private final FloatPayloadReader floats = new FloatPayloadReader();
    private long entriesRead;
    private long deletionsRead;
    private String checksum;
    private RuntimeException failure;

    /**
     * Reads the magic and the header.
     *
     * @param in     the content; read, never closed (the caller owns it)
     * @param source names the content in error messages
     */
    MsgpackStateReader(InputStream in, String source) throws IOException {
        this.u = CONFIG.newUnpacker(in);
        this.pos = new ReadPosition(source, u);
        this.values = new ValueDecoder(u, pos);
        try {
            this.header = new HeaderDecoder(u, values, pos, source).read();
        } catch (RuntimeException e) {
            throw pos.translate(e);
        }
    }

    @Override
    public StateHeader header() {
        return header;
    }

    @Override
    public VectorEntry nextEntry() throws IOException {
        checkNotFailed();
        if (entriesRead == header.entryCount()) {
            return null;
        }
        pos.at(ReadPosition.Part.ENTRY, entriesRead);
        try {
            int fields;
            try {
                fields = u.unpackArrayHeader();
            } catch (MessageTypeException e) {
                throw pos.malformed("not an entry array [id, vector, metadata]: " + e.getMessage());
            }
            if (fields != ENTRY_FIELDS) {
                throw pos.malformed("the entry is an array of " + fields + ", expected [id, vector, metadata]");
            }
            String id = values.string(MAX_ID_BYTES, "the id");
            float[] vector = vector();
            Map<String, Object> metadata = values.map(1);
            entriesRead++;
            return new VectorEntry(id, vector, metadata);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    private float[] vector() throws IOException {
        int expected = header.dimension() * Float.BYTES;
        MessageFormat format = u.getNextFormat();
        if (format != MessageFormat.BIN8 && format != MessageFormat.BIN16 && format != MessageFormat.BIN32) {
            throw pos.malformed("the vector is " + ValueDecoder.describe(format) + ", expected a bin of "
                    + expected + " bytes");
        }
        int length = u.unpackBinaryHeader();
        if (length != expected) {
            throw pos.malformed("the vector has " + length + " bytes, expected " + expected
                    + " (" + header.dimension() + " float32)");
        }
        // one copy, from the unpacker's buffer into the array; finiteness is the manager's check
        // (EntryRules, with the sum of squares the norm needs, on the load's second thread)
        float[] vector = new float[header.dimension()];
        floats.read(u.readPayloadAsReference(length), vector);
        return vector;
    }

    @Override
    public String nextDeletion() throws IOException {
        while (nextEntry() != null) {
            // the caller skipped entries: pass over them
        }
        if (deletionsRead == header.deletionCount()) {
            return null;
        }
        pos.at(ReadPosition.Part.DELETION, deletionsRead);
        try {
            String id = values.string(MAX_ID_BYTES, "the deleted id");
            deletionsRead++;
            return id;
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String storedChecksum() throws IOException {
        while (nextDeletion() != null) {
            // pass over what the caller did not read
        }
        if (checksum == null) {
            pos.at(ReadPosition.Part.TRAILER, 0);
            try {
                checksum = trailer();
            } catch (RuntimeException e) {
                throw fail(e);
            }
        }
        return checksum;
    }

    private String trailer() throws IOException {
        int size;
        try {
            size = u.unpackMapHeader();
        } catch (MessageTypeException e) {
            throw pos.malformed("the trailer is not a map: " + e.getMessage());
        }
        if (size > MAX_HEADER_KEYS) {
            throw pos.malformed("the trailer claims " + size + " keys, more than " + MAX_HEADER_KEYS);
        }
        String stored = null;
        for (int i = 0; i < size; i++) {
            String key = values.string(MAX_ID_BYTES, "a trailer key");
            if (CHECKSUM.equals(key) && stored == null) {
                stored = values.string(MAX_ID_BYTES, "the checksum");
            } else if (CHECKSUM.equals(key)) {
                throw pos.malformed("the trailer has two checksums");
            } else {
                u.skipValue();
            }
        }
        if (stored == null) {
            throw pos.malformed("the trailer has no checksum");
        }
        if (u.hasNext()) {
            throw pos.malformed("there is content after the trailer");
        }
        return stored;
    }

    private void checkNotFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    private RuntimeException fail(RuntimeException e) {
        failure = pos.translate(e);
        return failure;
    }

    /** Nothing to release: the unpacker holds no resource but the source's stream, which is the caller's. */
    @Override
    public void close() {
        // MessageUnpacker.close() would close the caller's stream
    }
}
