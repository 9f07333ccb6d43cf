package dev.vecpersist.core;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.InflateGuard;
import dev.vecpersist.core.json.ReferenceChecksum;
import dev.vecpersist.core.io.PipelinedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads one state file: detects its codec and format from the content, checks the header against
 * what the caller expects, streams entries and deletions to a consumer, and verifies the checksum
 * at the end. An encrypted file is decrypted first (its key id is read from its envelope; a key that
 * is not configured is an {@link dev.vecpersist.api.EncryptionException}, failed authentication a
 * {@link CorruptedStateException}). Any malformed content surfaces as {@link CorruptedStateException} naming the file;
 * consumers must stage what they receive and apply it only when {@link #read} returns.
 * Thread-safe (stateless between calls).
 */
final class StateFileReader {

    private static final Logger LOG = LoggerFactory.getLogger(StateFileReader.class);
    private static final int BUFFER = 1 << 20;

    /** Receives what a state file holds, in order. */
    interface Consumer {
        /** Called once, after the header is checked and before any entry. */
        default void header(StateHeader header) {
        }

        void entry(VectorEntry entry);

        void deletion(String id);
    }

    /** What the caller requires of the header; null fields are not checked. */
    record Expectation(Integer dimension, Metric metric, StateHeader.Kind kind) {
        static final Expectation ANY = new Expectation(null, null, null);
    }

    /** The outcome of a read. */
    record Result(StateHeader header, ContentDetector.Encoding encoding, String checksum, ChecksumStatus checksumStatus,
                  String keyId) {
    }

    /** What became of the checksum. */
    enum ChecksumStatus {
        /** Recomputed and equal to the stored one. */
        VERIFIED,
        /** Verification was turned off. */
        NOT_CHECKED,
        /**
         * A reference-module (version 1) file whose SHA-256, over JavaScript's {@code JSON.stringify}
         * of the state without its checksum, was recomputed and is equal to the stored one.
         */
        VERIFIED_REFERENCE_SHA256
    }

    private final Plugins plugins;
    private final FileOps ops;
    private final ContentDetector detector;
    private final long maxScratchBytes;
    private final Encryption encryption;

    StateFileReader(Plugins plugins, FileOps ops) {
        this(plugins, ops, PersistenceOptions.DEFAULT_MAX_SCRATCH_BYTES, null);
    }

    /**
     * @param maxScratchBytes the most bytes a compressed or encrypted file-based format may be decoded to
     * @param encryption      decrypts encrypted files, or null when no keys are configured
     */
    StateFileReader(Plugins plugins, FileOps ops, long maxScratchBytes, Encryption encryption) {
        this.plugins = plugins;
        this.ops = ops;
        this.detector = new ContentDetector(plugins);
        this.maxScratchBytes = maxScratchBytes;
        this.encryption = encryption;
    }

    /** Detects the encoding of a file without reading it further. */
    ContentDetector.Encoding detect(Path file) {
        try (InputStream in = openContent(file).stream()) {
            byte[] head = in.readNBytes(ContentDetector.HEAD_BYTES);
            return detector.detect(head, head.length, file, () -> openContent(file).stream());
        } catch (StorageReadError e) {
            throw new PersistenceException("cannot read: " + e.getCause().getMessage(), file, e.getCause());
        } catch (IOException e) {
            throw new PersistenceException("cannot read: " + e.getMessage(), file, e);
        }
    }

    /**
     * Reads a whole state file into the consumer.
     *
     * @param scratchDir where a compressed file-based format is decompressed to before reading
     */
    Result read(Path file, Expectation expected, boolean verify, Consumer consumer, ProgressReporter progress,
                Path scratchDir) {
        if (!Files.isRegularFile(file)) {
            throw new PersistenceException(Files.exists(file) ? "not a regular file" : "no such file", file, null);
        }
        ContentDetector.Encoding encoding = detect(file);
        Path scratch = null;
        try {
            String keyId = keyIdOf(file);
            if (encoding.format().needsFile()) {
                Path source = file;
                if (encoding.codec() != null || keyId != null) {
                    scratch = AtomicFile.tempSibling(scratchDir.resolve("decompressed"), "");
                    decompressTo(file, encoding, scratch);
                    source = scratch;
                }
                try (StateReader reader = encoding.format().newReader(StateSource.ofFile(source, file.toString()))) {
                    return readAll(file, encoding, reader, expected, verify, consumer, progress, keyId);
                }
            }
            // raw -> decrypt -> (pipelined) decompress -> format
            try (InputStream raw = openContent(file).stream();
                 // with a codec, decompression runs on a second thread while this one parses
                 InputStream decoded = encoding.codec() == null ? raw
                         : new PipelinedInputStream(encoding.codec().decompress(raw), encoding.codec().name());
                 StateReader reader = encoding.format().newReader(StateSource.ofStream(decoded, file.toString()))) {
                Result result = readAll(file, encoding, reader, expected, verify, consumer, progress, keyId);
                if (keyId != null) {
                    // authenticate to the last segment, even bytes the format did not need; the
                    // decompressor is drained first so that its read-ahead thread is done with raw
                    decoded.transferTo(OutputStream.nullOutputStream());
                    raw.transferTo(OutputStream.nullOutputStream());
                }
                return result;
            }
        } catch (PersistenceException e) {
            throw e;
        } catch (StorageReadError e) {
            throw new PersistenceException("cannot read: " + e.getCause().getMessage(), file, e.getCause());
        } catch (EOFException e) {
            throw new CorruptedStateException("truncated: the content ends early (" + e.getMessage() + ")", file, e);
        } catch (IOException e) {
            throw new CorruptedStateException("corrupt " + encoding.codecName() + "/" + encoding.format().name()
                    + " content: " + e.getMessage(), file, e);
        } catch (RuntimeException e) {
            throw new CorruptedStateException("malformed " + encoding.format().name() + " content: " + e, file, e);
        } finally {
            if (scratch != null) {
                try {
                    ops.deleteIfExists(scratch);
                } catch (IOException e) {
                    LOG.warn("could not delete scratch file {}", scratch, e);
                }
            }
        }
    }

    private Result readAll(Path file, ContentDetector.Encoding encoding, StateReader reader, Expectation expected,
                           boolean verify, Consumer consumer, ProgressReporter progress, String keyId) throws IOException {
        StateHeader header = reader.header();
        check(file, header, expected);
        consumer.header(header);
        progress.total(header.entryCount());
        ContentChecksum checksum = verify ? new ContentChecksum(header) : null;
        long entries = 0;
        for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
            if (entries == header.entryCount()) {
                throw new CorruptedStateException("the file holds more entries than the " + header.entryCount()
                        + " its header announces", file, null);
            }
            String problem = EntryRules.problem(e, header.dimension());
            if (problem != null) {
                throw new CorruptedStateException("entry " + entries + ": " + problem, file, null);
            }
            if (checksum != null) {
                checksum.addEntry(e);
            }
            consumer.entry(e);
            entries++;
            progress.advance();
        }
        long deletions = 0;
        for (String id = reader.nextDeletion(); id != null; id = reader.nextDeletion()) {
            if (deletions == header.deletionCount()) {
                throw new CorruptedStateException("the file holds more deletions than the " + header.deletionCount()
                        + " its header announces", file, null);
            }
            String problem = EntryRules.deletedIdProblem(id);
            if (problem != null) {
                throw new CorruptedStateException("deletion " + deletions + ": " + problem, file, null);
            }
            if (checksum != null) {
                checksum.addDeletion(id);
            }
            consumer.deletion(id);
            deletions++;
        }
        String stored = reader.storedChecksum();
        ChecksumStatus status = ChecksumStatus.NOT_CHECKED;
        if (checksum != null) {
            status = verifyChecksum(file, encoding, header, stored, checksum.value());
        }
        if (entries != header.entryCount() || deletions != header.deletionCount()) {
            throw new CorruptedStateException("the header announces " + header.entryCount() + " entries and "
                    + header.deletionCount() + " deletions, the file holds " + entries + " and " + deletions, file, null);
        }
        return new Result(header, encoding, stored, status, keyId);
    }

    private ChecksumStatus verifyChecksum(Path file, ContentDetector.Encoding encoding, StateHeader header, String stored,
                                          String computed) throws IOException {
        if (stored != null && stored.startsWith(ContentChecksum.PREFIX)) {
            if (!stored.equals(computed)) {
                throw new CorruptedStateException("checksum mismatch: the file says " + stored
                        + ", its content gives " + computed, file, null);
            }
            return ChecksumStatus.VERIFIED;
        }
        if (header.formatVersion() == 1 && stored != null && stored.matches("[0-9a-f]{64}")
                && !encoding.format().needsFile()) {
            // a second pass over the file: the reference module hashed JSON.stringify of the whole state object
            String sha;
            try (InputStream raw = openRaw(file);
                 InputStream decoded = encoding.codec() == null ? raw : encoding.codec().decompress(raw)) {
                sha = ReferenceChecksum.sha256Hex(decoded);
            }
            if (!sha.equals(stored)) {
                throw new CorruptedStateException("checksum mismatch: the file says SHA-256 " + stored
                        + ", JSON.stringify of its content gives " + sha, file, null);
            }
            return ChecksumStatus.VERIFIED_REFERENCE_SHA256;
        }
        throw new CorruptedStateException(stored == null ? "the file carries no checksum"
                : "unrecognised checksum '" + stored + "'", file, null);
    }

    private static void check(Path file, StateHeader header, Expectation expected) {
        if (expected.dimension() != null && header.dimension() != expected.dimension()) {
            throw new IncompatibleStateException("the file holds vectors of dimension " + header.dimension()
                    + ", the database has dimension " + expected.dimension(), file, null);
        }
        if (expected.metric() != null && header.metric() != expected.metric()) {
            throw new IncompatibleStateException("the file was saved with metric " + header.metric().fileName()
                    + ", the database uses " + expected.metric().fileName(), file, null);
        }
        if (expected.kind() != null && header.kind() != expected.kind()) {
            throw new CorruptedStateException("expected a " + expected.kind().name().toLowerCase(java.util.Locale.ROOT) + " state, found a "
                    + header.kind().name().toLowerCase(java.util.Locale.ROOT) + " state", file, null);
        }
    }

    /**
     * Decrypts and decompresses into a scratch file. Failing to write the scratch file (a full disk, no
     * permission) is a storage failure of the scratch directory, not damage of {@code file}.
     */
    private void decompressTo(Path file, ContentDetector.Encoding encoding, Path target) throws IOException {
        FileOps.WritableFile out;
        try {
            out = ops.create(target);
        } catch (IOException e) {
            throw scratchFailure(target, e);
        }
        InputStream plain = openContent(file).stream();
        try (out; InputStream in = encoding.codec() == null ? plain : encoding.codec().decompress(plain)) {
            InflateGuard.fromSystemProperties().copy(in, new ScratchStream(out.stream(), file), Files.size(file),
                    target.getParent());
            out.stream().flush();
        } catch (InflateGuard.RatioExceeded e) {
            throw new CorruptedStateException(e.getMessage(), file, e);
        } catch (InflateGuard.NoRoom e) {
            throw new PersistenceException(e.getMessage(), file, e);
        } catch (ScratchStream.WriteFailed e) {
            throw scratchFailure(target, (IOException) e.getCause());
        }
    }

    /** The scratch file's stream: bounded by maxScratchBytes, and its write failures told apart from read failures. */
    private final class ScratchStream extends java.io.FilterOutputStream {
        private final Path file;
        private long written;

        ScratchStream(OutputStream out, Path file) {
            super(out);
            this.file = file;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > maxScratchBytes) {
                throw new PersistenceException("decompressing needs more than the " + maxScratchBytes
                        + " bytes of scratch space allowed (PersistenceOptions.maxScratchBytes)", file, null);
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
        }

        static final class WriteFailed extends IOException {
            WriteFailed(IOException cause) {
                super(cause);
            }
        }
    }

    private static PersistenceException scratchFailure(Path scratch, IOException e) {
        return new PersistenceException("cannot write the scratch file for decompressing (the state file is not "
                + "damaged; choose another directory with PersistenceOptions.scratchDir): " + e.getMessage(), scratch, e);
    }

    /** The id of the key the file is encrypted with, or null when it is not encrypted. */
    String keyIdOf(Path file) throws IOException {
        try (InputStream in = openRaw(file)) {
            return dev.vecpersist.core.crypto.Envelope.readKeyId(in, file);
        }
    }

    /** Opens the file's plaintext: decrypted when it is encrypted. */
    private Encryption.Content openContent(Path file) throws IOException {
        InputStream raw = openRaw(file);
        try {
            return Encryption.open(encryption, raw, file);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Opens the file; I/O errors of the file itself are told apart from corrupt content. */
    private InputStream openRaw(Path file) throws IOException {
        InputStream in;
        try {
            in = ops.open(file);
        } catch (NoSuchFileException e) {
            throw new PersistenceException("no such file", file, e);
        }
        return new BufferedInputStream(new FilterInputStream(in) {
            @Override
            public int read() {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw new StorageReadError(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw new StorageReadError(e);
                }
            }
        }, BUFFER);
    }

    /** An I/O failure of the storage itself, as opposed to bad content. */
    private static final class StorageReadError extends UncheckedIOException {
        StorageReadError(IOException cause) {
            super(cause);
        }
    }
}
