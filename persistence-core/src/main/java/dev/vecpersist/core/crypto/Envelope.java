package dev.vecpersist.core.crypto;

import dev.vecpersist.api.CorruptedStateException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The clear prefix of an encrypted file: an 8-byte magic, a version byte, the key id's length and
 * the key id (ASCII). It lets detection say "encrypted with key 'k1'" without any key, and it is
 * the associated data of the ciphertext that follows, so it cannot be edited undetected.
 */
public final class Envelope {

    /** The magic number every encrypted file starts with. */
    static final byte[] MAGIC = {(byte) 0xE5, 'V', 'P', 'C', 'R', 'Y', 'P', 'T'};
    /** The layout version written. */
    static final int VERSION = 1;
    /** The longest envelope: magic, version, length, a 64-character id. */
    public static final int MAX_LENGTH = MAGIC.length + 2 + 64;

    private Envelope() {
    }

    /**
     * The envelope for a key id.
     *
     * @param keyId a well-formed key id
     * @return its bytes
     */
    static byte[] of(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] header = Arrays.copyOf(MAGIC, MAGIC.length + 2 + id.length);
        header[MAGIC.length] = VERSION;
        header[MAGIC.length + 1] = (byte) id.length;
        System.arraycopy(id, 0, header, MAGIC.length + 2, id.length);
        return header;
    }

    /**
     * Whether bytes start with the magic number of an encrypted file.
     *
     * @param head   leading bytes
     * @param length how many of them are valid
     * @return true when they start like an encrypted file
     */
    public static boolean isEncrypted(byte[] head, int length) {
        return length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Reads the envelope from the start of a stream that supports mark/reset.
     *
     * @param in   the stream, at the start of the file; left after the envelope when the file is
     *             encrypted, or at the start (reset) when it is not
     * @param file names the file in errors
     * @return the key id, or null when the file is not encrypted
     * @throws IOException             when reading fails
     * @throws CorruptedStateException when the magic matches but the rest of the envelope is malformed
     */
    public static String readKeyId(InputStream in, Path file) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark/reset");
        }
        in.mark(MAX_LENGTH);
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!isEncrypted(magic, magic.length)) {
            in.reset();
            return null;
        }
        int version = in.read();
        int length = in.read();
        if (version != VERSION) {
            throw new CorruptedStateException(version < 0 ? "truncated: the encryption envelope ends early"
                    : "unknown encryption envelope version " + version, file, null);
        }
        if (length < 1 || length > 64) {
            throw new CorruptedStateException("damaged encryption envelope (key id length " + length + ")", file, null);
        }
        byte[] id = in.readNBytes(length);
        String keyId = new String(id, StandardCharsets.US_ASCII);
        if (id.length != length || !EncryptionKeys.isWellFormedId(keyId)) {
            throw new CorruptedStateException("damaged encryption envelope (malformed key id)", file, null);
        }
        return keyId;
    }
}
