package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.io.OutputStream;

import static dev.vecpersist.format.msgpack.MsgpackLayout.*;

/**
 * Writes one MessagePack state; see {@link MsgpackStateFormat} for the layout. Vectors go out as
 * one bin each, converted to little-endian bytes through a reused buffer. Entry and deletion
 * counts must match the header's: the reader relies on them. Not thread-safe.
 */
final class MsgpackStateWriter implements StateWriter {

    /** Large enough that a 384-dimension entry is copied into the buffer, not written through. */
    private static final int BUFFER = 1 << 20;
    private static final MessagePack.PackerConfig CONFIG = new MessagePack.PackerConfig().withBufferSize(BUFFER);

    private enum Phase { ENTRIES, DELETIONS, FINISHED, FAILED }

    private final MessagePacker packer;
    private final MetadataPacker metadata;
    private final StateHeader header;
    private final LittleEndianFloats vectorBytes;
    private Phase phase = Phase.ENTRIES;
    private long entries;
    private long deletions;

    /**
     * Writes the magic and the header.
     *
     * @param out    the sink's stream; flushed by {@link #finish}, never closed
     * @param header the state's header
     * @throws IllegalArgumentException when the header holds what the reader would refuse
     */
    MsgpackStateWriter(OutputStream out, StateHeader header) throws IOException {
        if (header.dimension() > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + header.dimension() + " is more than the "
                    + MAX_DIMENSION + " a MessagePack state holds");
        }
        byte[] index = header.indexState();
        if (index != null && index.length > MAX_INDEX_STATE) {
            throw new IllegalArgumentException("an index state of " + index.length + " bytes is more than the "
                    + MAX_INDEX_STATE + " a MessagePack state holds");
        }
        this.header = header;
        this.packer = CONFIG.newPacker(out);
        this.metadata = new MetadataPacker(packer);
        this.vectorBytes = new LittleEndianFloats(header.dimension());
        writeHeader(index);
    }

    private void writeHeader(byte[] index) throws IOException {
        packer.writePayload(MAGIC);
        packer.packMapHeader(HEADER_KEYS);
        packer.packString(FORMAT).packString(FORMAT_MARKER);
        packer.packString(VERSION_KEY).packInt(VERSION);
        packer.packString(KIND).packString(header.kind() == StateHeader.Kind.FULL ? KIND_FULL : KIND_DELTA);
        packer.packString(DIMENSION).packInt(header.dimension());
        packer.packString(METRIC).packString(header.metric().fileName());
        packer.packString(ENTRY_COUNT).packLong(header.entryCount());
        packer.packString(DELETION_COUNT).packLong(header.deletionCount());
        packer.packString(CREATED_AT).packLong(header.createdAt().toEpochMilli());
        packer.packString(USER_METADATA);
        try {
            metadata.packMap(header.userMetadata());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the header's user metadata: " + e.getMessage(), e);
        }
        packer.packString(INDEX_STATE);
        if (index == null) {
            packer.packNil();
        } else {
            packer.packBinaryHeader(index.length).writePayload(index);
        }
    }

    @Override
    public void writeEntry(VectorEntry entry) throws IOException {
        checkOpen();
        if (phase != Phase.ENTRIES) {
            throw new IllegalStateException("entries must come before deletions and finish()");
        }
        if (entries == header.entryCount()) {
            throw new IllegalStateException("the header announces " + header.entryCount() + " entries; this is one more");
        }
        float[] v = entry.vector();
        if (v.length != header.dimension()) {
            throw new IllegalArgumentException("entry '" + entry.id() + "' has " + v.length
                    + " components, the header says " + header.dimension());
        }
        byte[] id = encodeId(entry.id(), "entry");
        if (!vectorBytes.put(v)) { // a bulk copy, then a check over the bytes: one pass over the vector's memory
            throw nonFinite(entry.id(), v);
        }
        packer.packArrayHeader(ENTRY_FIELDS);
        metadata.packString(id);
        packer.packBinaryHeader(vectorBytes.bytes().length);
        packer.writePayload(vectorBytes.bytes());
        try {
            metadata.packMap(entry.metadata());
        } catch (IllegalArgumentException e) {
            phase = Phase.FAILED; // the entry is half written: the caller can only abandon the output
            throw new IllegalArgumentException("entry '" + entry.id() + "': " + e.getMessage(), e);
        }
        entries++;
    }

    /** Refuses what would write a file that cannot load: names the first non-finite component. */
    private static IllegalArgumentException nonFinite(String id, float[] v) {
        int i = 0;
        while (Float.isFinite(v[i])) {
            i++;
        }
        return new IllegalArgumentException("entry '" + id + "' has a non-finite component " + v[i] + " at index " + i);
    }

    private static byte[] encodeId(String id, String what) {
        try {
            return Utf8Encoder.encode(id, MAX_ID_BYTES, "the id");
        } catch (IllegalArgumentException e) {
            String shown = id.length() > 40 ? id.substring(0, 40) + "..." : id;
            throw new IllegalArgumentException(what + " '" + shown + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void writeDeletion(String id) throws IOException {
        if (header.kind() != StateHeader.Kind.DELTA) {
            throw new IllegalStateException("only a delta state has deletions");
        }
        checkOpen();
        checkEntriesComplete();
        if (deletions == header.deletionCount()) {
            throw new IllegalStateException("the header announces " + header.deletionCount() + " deletions; this is one more");
        }
        phase = Phase.DELETIONS;
        metadata.packString(encodeId(id, "deleted id"));
        deletions++;
    }

    @Override
    public void finish(String checksum) throws IOException {
        checkOpen();
        checkEntriesComplete();
        if (deletions != header.deletionCount()) {
            throw new IllegalStateException("the header announces " + header.deletionCount()
                    + " deletions, " + deletions + " were written");
        }
        packer.packMapHeader(1);
        packer.packString(CHECKSUM).packString(checksum);
        packer.flush(); // through our buffer to the sink, and the sink's own flush
        phase = Phase.FINISHED;
    }

    private void checkOpen() {
        if (phase == Phase.FINISHED) {
            throw new IllegalStateException("the state is finished");
        }
        if (phase == Phase.FAILED) {
            throw new IllegalStateException("an earlier write failed half-way; abandon this output");
        }
    }

    private void checkEntriesComplete() {
        if (entries != header.entryCount()) {
            throw new IllegalStateException("the header announces " + header.entryCount()
                    + " entries, " + entries + " were written");
        }
    }

    /**
     * Ends the writer. After {@link #finish} everything is flushed already; without it the output
     * is abandoned, so nothing more is written. The sink's stream stays open: it is the caller's.
     */
    @Override
    public void close() {
        if (phase != Phase.FAILED) {
            phase = Phase.FINISHED;
        }
    }
}
