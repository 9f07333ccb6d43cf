package dev.vecpersist.testkit;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads one state file with a format directly, the way the manager does: the caller
 * computes the {@link ContentChecksum} on write and checks it on read.
 */
public final class StateFiles {

    private StateFiles() {
    }

    /** Everything read back from a state file. */
    public record ReadState(StateHeader header, List<VectorEntry> entries, List<String> deletions, String checksum) {
    }

    /** Writes a state (entries, then deletions) to {@code file}, which must not exist. */
    public static String write(StateFormat format, Path file, StateHeader header, List<VectorEntry> entries,
                               List<String> deletions) throws IOException {
        ContentChecksum checksum = new ContentChecksum(header);
        if (format.needsFile()) {
            try (StateWriter writer = format.newWriter(new StateSink.ToFile(file, file.toString()), header)) {
                writeBody(writer, checksum, entries, deletions);
            }
        } else {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                 StateWriter writer = format.newWriter(new StateSink.ToStream(out, file.toString()), header)) {
                writeBody(writer, checksum, entries, deletions);
            }
        }
        return checksum.value();
    }

    private static void writeBody(StateWriter writer, ContentChecksum checksum, List<VectorEntry> entries,
                                  List<String> deletions) throws IOException {
        for (VectorEntry e : entries) {
            checksum.addEntry(e);
            writer.writeEntry(e);
        }
        for (String id : deletions) {
            checksum.addDeletion(id);
            writer.writeDeletion(id);
        }
        writer.finish(checksum.value());
    }

    /**
     * Reads a whole state file and verifies its checksum.
     *
     * @throws CorruptedStateException on malformed content or a checksum mismatch
     */
    public static ReadState read(StateFormat format, Path file) throws IOException {
        if (format.needsFile()) {
            try (StateReader reader = format.newReader(new StateSource.FromFile(file, file.toString()))) {
                return readBody(reader, file);
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(format, in, file);
        }
    }

    /**
     * Reads a whole state of a stream format from {@code in}, which stays open, and verifies its checksum.
     *
     * @param file names the content in error messages
     * @throws CorruptedStateException on malformed content or a checksum mismatch
     */
    public static ReadState read(StateFormat format, InputStream in, Path file) throws IOException {
        try (StateReader reader = format.newReader(new StateSource.FromStream(in, file.toString()))) {
            return readBody(reader, file);
        }
    }

    private static ReadState readBody(StateReader reader, Path file) throws IOException {
        StateHeader header = reader.header();
        ContentChecksum checksum = new ContentChecksum(header);
        List<VectorEntry> entries = new ArrayList<>();
        for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
            if (e.vector().length != header.dimension()) {
                throw new CorruptedStateException("entry " + e.id() + " has " + e.vector().length
                        + " components, header says " + header.dimension(), file, null);
            }
            checksum.addEntry(e);
            entries.add(e);
        }
        List<String> deletions = new ArrayList<>();
        for (String id = reader.nextDeletion(); id != null; id = reader.nextDeletion()) {
            checksum.addDeletion(id);
            deletions.add(id);
        }
        String stored = reader.storedChecksum();
        if (!checksum.value().equals(stored)) {
            throw new CorruptedStateException("checksum mismatch: stored " + stored + ", computed " + checksum.value(), file, null);
        }
        if (entries.size() != header.entryCount() || deletions.size() != header.deletionCount()) {
            throw new CorruptedStateException("header counts do not match content", file, null);
        }
        return new ReadState(header, entries, deletions, stored);
    }
}
