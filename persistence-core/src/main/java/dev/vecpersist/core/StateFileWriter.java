package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.PipelinedOutputStream;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one state (header, entries, deletions, checksum) through a format and an optional codec,
 * either to a file, atomically, or into a stream. Computes the {@link ContentChecksum} on the way
 * (for a large state on a second thread, beside the format's encoding: {@link SaveEntries}).
 * With encryption configured it is the last stage: format, then codec, then encryption.
 * A format gets the {@link StateSink} variant its {@link StateFormat#needsFile()} declares: a file
 * format writes a scratch file, which is renamed into place or copied through the codec.
 * Thread-safe (stateless between calls).
 */
final class StateFileWriter {

    /** What was written. */
    record Written(Path file, long bytes, String checksum, long entries, long deletions) {
    }

    /** The body of a state: what goes after the header. */
    record Body(Iterable<VectorEntry> entries, Iterable<String> deletions) {
    }

    private final FileOps ops;
    private final Encryption encryption;
    private final long pipelineFrom;

    StateFileWriter(FileOps ops) {
        this(ops, null);
    }

    /** @param encryption encrypts everything written, or null for clear files */
    StateFileWriter(FileOps ops, Encryption encryption) {
        this(ops, encryption, SaveEntries.pipelineFrom());
    }

    /**
     * @param encryption   encrypts everything written, or null for clear files
     * @param pipelineFrom the entry count from which a state's entries are checked and added to the
     *                     checksum on a second thread ({@link SaveEntries}); {@link Long#MAX_VALUE}
     *                     saves on the caller's thread only
     */
    StateFileWriter(FileOps ops, Encryption encryption, long pipelineFrom) {
        this.ops = ops;
        this.encryption = encryption;
        this.pipelineFrom = pipelineFrom;
    }

    /**
     * Writes a state to {@code target} atomically: on any failure the previous file is untouched and
     * no temporary file is left behind.
     */
    Written writeFile(Path target, StateFormat format, CompressionCodec codec, int level, StateHeader header,
                      Body body, ProgressReporter progress) throws IOException {
        if (format.needsFile() && codec == null && encryption == null) {
            // the format's own file becomes the target: write it beside, fsync, rename
            Path scratch = AtomicFile.tempSibling(target, ".scratch");
            try {
                String checksum = writeToFile(scratch, target, format, header, body, progress);
                ops.sync(scratch);
                long size = Files.size(scratch);
                ops.atomicMove(scratch, target);
                ops.syncDirectory(target.toAbsolutePath().getParent());
                return new Written(target, size, checksum, header.entryCount(), header.deletionCount());
            } finally {
                ops.deleteIfExists(scratch);
            }
        }
        try (AtomicFile file = AtomicFile.create(ops, target)) {
            CountingOutputStream counted = new CountingOutputStream(file.stream());
            String checksum = writeStream(counted, target, format, codec, level, header, body, progress);
            file.commit();
            return new Written(file.target(), counted.count, checksum, header.entryCount(), header.deletionCount());
        }
    }

    /**
     * Writes a state into a stream (e.g. a snapshot upload). The stream is flushed, not closed.
     * A format that needs a file is written to a scratch file beside {@code scratchNear} first.
     *
     * @return the content checksum
     */
    String writeStream(OutputStream out, Path scratchNear, StateFormat format, CompressionCodec codec, int level,
                       StateHeader header, Body body, ProgressReporter progress) throws IOException {
        OutputStream unclosable = unclosable(out);
        // encryption is the outermost stage; closing it writes the last (authenticated) segment
        OutputStream sealed = encryption == null ? unclosable : encryption.encryptingStream(unclosable);
        // compression and/or encryption run on a second thread while this one serialises
        OutputStream encoded = codec != null ? new PipelinedOutputStream(codec.compress(sealed, level), codec.name())
                : encryption != null ? new PipelinedOutputStream(sealed, "encryption") : sealed;
        String checksum;
        try {
            checksum = encode(encoded, scratchNear, format, header, body, progress);
        } catch (IOException | RuntimeException | Error e) {
            if (encoded instanceof PipelinedOutputStream pipeline) {
                pipeline.abandon();
            }
            throw e;
        }
        encoded.close(); // finishes the codec's stream; the underlying stream stays open
        return checksum;
    }

    private String encode(OutputStream encoded, Path scratchNear, StateFormat format, StateHeader header, Body body,
                          ProgressReporter progress) throws IOException {
        String checksum;
        if (format.needsFile()) {
            Path scratch = AtomicFile.tempSibling(scratchNear, ".scratch");
            try {
                checksum = writeToFile(scratch, scratchNear, format, header, body, progress);
                try (InputStream in = new BufferedInputStream(Files.newInputStream(scratch), 1 << 16)) {
                    in.transferTo(encoded);
                }
            } finally {
                ops.deleteIfExists(scratch);
            }
        } else {
            try (StateWriter writer = format.newWriter(new StateSink.ToStream(encoded, String.valueOf(scratchNear)), header)) {
                checksum = writeBody(writer, header, body, progress, scratchNear);
            }
        }
        return checksum;
    }

    private String writeToFile(Path file, Path target, StateFormat format, StateHeader header, Body body,
                               ProgressReporter progress) throws IOException {
        try (StateWriter writer = format.newWriter(new StateSink.ToFile(file, target.toString()), header)) {
            return writeBody(writer, header, body, progress, target);
        }
    }

    private String writeBody(StateWriter writer, StateHeader header, Body body, ProgressReporter progress,
                             Path target) throws IOException {
        ContentChecksum checksum = new ContentChecksum(header);
        // what a reader would refuse is never written: the save fails there, before any rename
        long entries = new SaveEntries(target, header.dimension(), checksum).write(writer, body.entries(), progress,
                header.entryCount() >= pipelineFrom);
        long deletions = 0;
        for (String id : body.deletions()) {
            String problem = EntryRules.deletedIdProblem(id);
            if (problem != null) {
                throw new PersistenceException("cannot save deletion " + deletions + ": " + problem, target, null);
            }
            checksum.addDeletion(id);
            writer.writeDeletion(id);
            deletions++;
        }
        if (entries != header.entryCount() || deletions != header.deletionCount()) {
            throw new IllegalStateException("the database changed during a point-in-time save: header says "
                    + header.entryCount() + "/" + header.deletionCount() + ", wrote " + entries + "/" + deletions);
        }
        String value = checksum.value();
        writer.finish(value);
        return value;
    }

    /** {@return a view of {@code out} whose close only flushes} */
    static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** Counts the bytes that pass through. */
    static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
