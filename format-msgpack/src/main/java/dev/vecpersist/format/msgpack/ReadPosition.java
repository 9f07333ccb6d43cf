package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

import java.io.UncheckedIOException;

/**
 * Where a reader is (which part of the file, which entry, which byte), and the
 * {@link CorruptedStateException}s that say so: every message names the source, the part and the
 * byte offset. Not thread-safe.
 */
final class ReadPosition {

    /** The parts of a file, in order. */
    enum Part {
        HEADER("the header"), ENTRY("entry "), DELETION("deleted id "), TRAILER("the trailer");

        private final String label;

        Part(String label) {
            this.label = label;
        }
    }

    private final String source;
    private final MessageUnpacker unpacker;
    private Part part = Part.HEADER;
    private long index;

    ReadPosition(String source, MessageUnpacker unpacker) {
        this.source = source;
        this.unpacker = unpacker;
    }

    /** Moves to a part; {@code index} counts entries or deleted ids from 0. */
    void at(Part part, long index) {
        this.part = part;
        this.index = index;
    }

    /** {@return e.g. "entry 17 (byte 26523)"} */
    String where() {
        String what = part == Part.ENTRY || part == Part.DELETION ? part.label + index : part.label;
        return what + " (byte " + unpacker.getTotalReadBytes() + ")";
    }

    /** {@return an exception saying the content is malformed here} */
    CorruptedStateException malformed(String what) {
        return new CorruptedStateException(source + ": corrupt MessagePack state in " + where() + ": " + what);
    }

    /**
     * Turns what the unpacker or the JDK threw on bad input into a {@link CorruptedStateException}.
     * Failures of the source itself ({@link UncheckedIOException}) and our own exceptions pass through.
     *
     * @return the exception to throw
     */
    RuntimeException translate(RuntimeException e) {
        if (e instanceof PersistenceException || e instanceof UncheckedIOException) {
            return e;
        }
        if (e instanceof MessageInsufficientBufferException) {
            return new CorruptedStateException(source + ": truncated MessagePack state: the content ends in "
                    + where(), e);
        }
        if (e instanceof MessageIntegerOverflowException) {
            return new CorruptedStateException(source + ": corrupt MessagePack state in " + where()
                    + ": an integer does not fit a signed 64-bit long", e);
        }
        String detail = e instanceof MessagePackException ? e.getMessage() : e.toString();
        return new CorruptedStateException(source + ": corrupt MessagePack state in " + where() + ": " + detail, e);
    }
}
