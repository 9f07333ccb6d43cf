package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.Envelope;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.InflateGuard;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of a state file, for {@link StateFileReader}: raw reads whose storage failures are told
 * apart from bad content ({@link StorageReadError}), the plaintext of an encrypted file, and the
 * decrypted and decompressed copy in a bounded scratch file that formats which need a file read.
 * Thread-safe (stateless between calls).
 */
final class StateFileContent {

    private static final int BUFFER = 1 << 20;
    /**
     * For opens that look at the first bytes only (the key id, the codec and format), and for a
     * codec's input, which the codec buffers itself and reads in pieces of 64 KiB or more, so that
     * those pass straight to the file: a buffer of {@link #BUFFER} would read and copy a whole MiB
     * for a look at the head, and copy every compressed byte once more (and it is humongous for G1).
     */
    private static final int SMALL_BUFFER = ContentDetector.HEAD_BYTES;

    private final FileOps ops;
    private final long maxScratchBytes;
    private final Encryption encryption;

    /**
     * @param maxScratchBytes the most bytes a compressed or encrypted file may be decoded to in a scratch file
     * @param encryption      decrypts encrypted files, or null when no keys are configured
     */
    StateFileContent(FileOps ops, long maxScratchBytes, Encryption encryption) {
        this.ops = ops;
        this.maxScratchBytes = maxScratchBytes;
        this.encryption = encryption;
    }

    /** The id of the key the file is encrypted with, or null when it is not encrypted. */
    String keyIdOf(Path file) throws IOException {
        try (InputStream in = openRaw(file, Envelope.MAX_LENGTH)) {
            return Envelope.readKeyId(in, file);
        }
    }

    /** Opens the file's plaintext: decrypted when it is encrypted. */
    Encryption.Content openPlain(Path file) throws IOException {
        return openPlain(file, BUFFER);
    }

    /** Opens the file's plaintext to look at its first {@value ContentDetector#HEAD_BYTES} bytes. */
    Encryption.Content openPlainHead(Path file) throws IOException {
        return openPlain(file, SMALL_BUFFER);
    }

    /** Opens the file's plaintext for a codec to decompress (a codec buffers its input itself). */
    Encryption.Content openPlainForCodec(Path file) throws IOException {
        return openPlain(file, SMALL_BUFFER);
    }

    private Encryption.Content openPlain(Path file, int buffer) throws IOException {
        InputStream raw = openRaw(file, buffer);
        try {
            return Encryption.open(encryption, raw, file);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Opens the file as it is on disk; I/O errors of the file itself surface as {@link StorageReadError}. */
    InputStream openRaw(Path file) throws IOException {
        return openRaw(file, BUFFER);
    }

    private InputStream openRaw(Path file, int buffer) throws IOException {
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
        }, buffer);
    }

    /**
     * Decrypts and decompresses {@code file} into {@code target}. Failing to write the scratch file (a
     * full disk, no permission) is a storage failure of the scratch directory, not damage of {@code file}.
     *
     * @param codec the file's codec, or null when it is not compressed
     */
    void decodeTo(Path file, CompressionCodec codec, Path target) throws IOException {
        FileOps.WritableFile out;
        try {
            out = ops.create(target);
        } catch (IOException e) {
            throw scratchFailure(target, e);
        }
        InputStream plain = openPlain(file).stream();
        try (out; InputStream in = codec == null ? plain : codec.decompress(plain)) {
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
    private final class ScratchStream extends FilterOutputStream {
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

    /** An I/O failure of the storage itself, as opposed to bad content. */
    static final class StorageReadError extends UncheckedIOException {
        StorageReadError(IOException cause) {
            super(cause);
        }
    }
}
