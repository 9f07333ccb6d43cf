package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.StateFileContent.StorageReadError;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.PipelinedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one state file: detects its codec and format from the content, checks the header against
 * what the caller expects, streams entries and deletions to a consumer, and verifies the checksum
 * at the end. An encrypted file is decrypted first (its key id is read from its envelope; a key that
 * is not configured is an {@link dev.vecpersist.api.EncryptionException}, failed authentication a
 * {@link CorruptedStateException}). Any malformed content surfaces as {@link CorruptedStateException} naming the file;
 * consumers must stage what they receive and apply it only when {@link #read} returns.
 *
 * <p>This class picks the path through the file and turns failures into typed errors; the bytes come
 * from {@link StateFileContent} (decryption, scratch files) and {@link StateReadVerifier} checks what
 * the format returns. A format gets the {@link StateSource} variant its
 * {@link dev.vecpersist.api.StateFormat#needsFile()} declares. Thread-safe (stateless between calls).
 */
final class StateFileReader {

    private static final Logger LOG = LoggerFactory.getLogger(StateFileReader.class);

    /**
     * Receives what a state file holds, in order, one call at a time. Entries arrive checked against
     * {@link EntryRules}, their metadata normalised, possibly on a second thread while the file is
     * still being decoded ({@link LoadPipeline}); whatever the consumer did is visible to the caller
     * of {@link #read} when it returns, and nothing reaches it after {@link #read} has returned or thrown.
     */
    interface Consumer {
        /** Called once, after the header is checked and before any entry. */
        default void header(StateHeader header) {
        }

        void entry(VectorEntry entry);

        /**
         * An entry that has passed {@link EntryRules}, with its norm, computed while checking it
         * ({@link Similarity#norm}); by default the norm is not needed.
         *
         * @param entry the entry
         * @param norm  its vector's norm
         */
        default void entry(VectorEntry entry, float norm) {
            entry(entry);
        }

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

    private final ContentDetector detector;
    private final StateFileContent content;
    private final StateReadVerifier verifier;
    private final FileOps ops;

    StateFileReader(Plugins plugins, FileOps ops) {
        this(plugins, ops, PersistenceOptions.DEFAULT_MAX_SCRATCH_BYTES, null);
    }

    /**
     * @param maxScratchBytes the most bytes a compressed or encrypted file-based format may be decoded to
     * @param encryption      decrypts encrypted files, or null when no keys are configured
     */
    StateFileReader(Plugins plugins, FileOps ops, long maxScratchBytes, Encryption encryption) {
        this.detector = new ContentDetector(plugins);
        this.content = new StateFileContent(ops, maxScratchBytes, encryption);
        this.verifier = new StateReadVerifier(content);
        this.ops = ops;
    }

    /** Detects the encoding of a file without reading it further. */
    ContentDetector.Encoding detect(Path file) {
        try (InputStream in = content.openPlainHead(file).stream()) {
            byte[] head = in.readNBytes(ContentDetector.HEAD_BYTES);
            return detector.detect(head, head.length, file, () -> content.openPlainHead(file).stream());
        } catch (StorageReadError e) {
            throw new PersistenceException("cannot read: " + e.getCause().getMessage(), file, e.getCause());
        } catch (IOException e) {
            throw new PersistenceException("cannot read: " + e.getMessage(), file, e);
        }
    }

    /** The id of the key the file is encrypted with, or null when it is not encrypted. */
    String keyIdOf(Path file) throws IOException {
        return content.keyIdOf(file);
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
            String keyId = content.keyIdOf(file);
            Read read = reader -> verifier.readAll(file, encoding, reader, expected, verify, consumer, progress, keyId);
            if (!encoding.format().needsFile()) {
                return readStream(file, encoding, keyId != null, read);
            }
            Path plain = file;
            if (encoding.codec() != null || keyId != null) {
                scratch = AtomicFile.tempSibling(scratchDir.resolve("decompressed"), "");
                content.decodeTo(file, encoding.codec(), scratch);
                plain = scratch;
            }
            try (StateReader reader = encoding.format().newReader(new StateSource.FromFile(plain, file.toString()))) {
                return read.from(reader);
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

    /** Reads a stream format: raw -> decrypt -> decompress (pipelined, for most codecs) -> format. */
    private Result readStream(Path file, ContentDetector.Encoding encoding, boolean encrypted, Read read)
            throws IOException {
        CompressionCodec codec = encoding.codec();
        try (InputStream raw = (codec == null ? content.openPlain(file) : content.openPlainForCodec(file)).stream();
             InputStream decoded = decoded(raw, codec)) {
            try (StateReader reader = encoding.format().newReader(new StateSource.FromStream(decoded, file.toString()))) {
                Result result = read.from(reader);
                if (encrypted) {
                    // authenticate to the last segment, even bytes the format did not need; the
                    // decompressor is drained first so that its read-ahead thread is done with raw
                    decoded.transferTo(OutputStream.nullOutputStream());
                    raw.transferTo(OutputStream.nullOutputStream());
                }
                return result;
            } catch (IncompatibleStateException newer) {
                if (codec != null || encrypted) {
                    checkIntact(file, encoding, decoded, raw, newer);
                }
                throw newer;
            }
        }
    }

    /**
     * A header claiming a newer layout was read before the codec's checksum (or the encryption's
     * last tag) could vouch for it: a damaged byte there looks the same as a newer file. So the rest
     * is read through, and when the codec or the encryption finds the content damaged, the file is
     * reported corrupt (not "upgrade VecPersist").
     */
    private static void checkIntact(Path file, ContentDetector.Encoding encoding, InputStream decoded, InputStream raw,
                                    IncompatibleStateException newer) {
        try {
            decoded.transferTo(OutputStream.nullOutputStream());
            raw.transferTo(OutputStream.nullOutputStream());
        } catch (IOException damaged) {
            CorruptedStateException corrupt = new CorruptedStateException("corrupt " + encoding.codecName() + "/"
                    + encoding.format().name() + " content: " + damaged.getMessage(), file, damaged);
            corrupt.addSuppressed(newer); // what the damaged header claimed
            throw corrupt;
        }
    }

    /**
     * The decompressed stream: read ahead on a second thread while this one parses, unless the codec
     * decompresses cheaply enough to do it as the parser reads ({@link CompressionCodec#decompressAhead()}).
     */
    private static InputStream decoded(InputStream raw, CompressionCodec codec) throws IOException {
        if (codec == null) {
            return raw;
        }
        boolean ahead = codec.decompressAhead();
        InputStream decompressing = codec.decompress(raw);
        return ahead ? new PipelinedInputStream(decompressing, codec.name()) : decompressing;
    }

    /** Verifies what an open format reader returns and hands it on. */
    private interface Read {
        Result from(StateReader reader) throws IOException;
    }
}
