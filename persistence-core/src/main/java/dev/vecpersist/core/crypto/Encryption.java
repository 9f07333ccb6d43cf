package dev.vecpersist.core.crypto;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.Hkdf;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EncryptionException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encryption at rest with Tink's streaming AEAD (AES256_GCM_HKDF_1MB: AES-256-GCM in 1 MiB
 * segments, a fresh key per file derived with HKDF-SHA256 from the configured key and a random
 * salt). Every segment is authenticated and bound to its position and to whether it is the last,
 * so flipped bits, reordered segments and truncation are all detected; memory stays at a few
 * segments whatever the file size. An encrypted file is an {@link Envelope} (magic and key id, in
 * clear, authenticated as associated data) followed by Tink's ciphertext.
 *
 * <p>Also computes HMAC-SHA256 tags under keys derived with HKDF from a configured key, one per
 * purpose (the manifest, the audit log). Thread-safe.
 */
public final class Encryption {

    private static final int KEY_BYTES = EncryptionKeys.KEY_BYTES;
    private static final int SEGMENT_BYTES = 1 << 20;
    private static final String HKDF = "HmacSha256";

    private final EncryptionKeys keys;
    private final Map<String, AesGcmHkdfStreaming> aeads = new ConcurrentHashMap<>();

    /**
     * Encryption with these keys.
     *
     * @param keys the primary key encrypts, every key decrypts
     */
    public Encryption(EncryptionKeys keys) {
        this.keys = java.util.Objects.requireNonNull(keys, "keys");
    }

    /** {@return the keys} */
    public EncryptionKeys keys() {
        return keys;
    }

    /**
     * Starts an encrypted file under the primary key: writes the envelope to {@code out} and
     * returns the stream that encrypts into it. Closing that stream writes the last segment and
     * closes {@code out}.
     *
     * @param out where the ciphertext goes
     * @return the stream to write the plaintext to
     * @throws IOException when writing the envelope fails
     */
    public OutputStream encryptingStream(OutputStream out) throws IOException {
        byte[] envelope = Envelope.of(keys.primaryId());
        out.write(envelope);
        try {
            return aead(keys.primaryId()).newEncryptingStream(out, envelope);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start AES-GCM encryption: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of a file that may be encrypted.
     *
     * @param encryption the configured encryption, or null when none is configured
     * @param raw        the file's bytes from the start, in a stream that supports mark/reset
     * @param file       names the file in errors
     * @return the plaintext stream (or {@code raw} itself when the file is not encrypted) and the key id
     * @throws IOException             when reading the envelope fails
     * @throws EncryptionException     when the file is encrypted under a key that is not configured
     * @throws CorruptedStateException when the envelope is damaged; reading the returned stream throws it
     *                                 when authentication fails (wrong key, tampered or truncated content)
     */
    public static Content open(Encryption encryption, InputStream raw, Path file) throws IOException {
        String keyId = Envelope.readKeyId(raw, file);
        if (keyId == null) {
            return new Content(raw, null);
        }
        if (encryption == null) {
            throw new EncryptionException("the file is encrypted with key '" + keyId + "', but no encryption keys "
                    + "are configured (PersistenceOptions.encryption, or --key-file / VECPERSIST_KEY)", keyId, file);
        }
        return new Content(encryption.decrypting(keyId, raw, file), keyId);
    }

    /**
     * A file's plaintext and the id of the key it was encrypted with.
     *
     * @param stream the plaintext
     * @param keyId  the key id, or null when the file is not encrypted
     */
    public record Content(InputStream stream, String keyId) {
        /** {@return whether the file was encrypted} */
        public boolean encrypted() {
            return keyId != null;
        }
    }

    private InputStream decrypting(String keyId, InputStream afterEnvelope, Path file) throws IOException {
        AesGcmHkdfStreaming aead = aeadOrFail(keyId, file);
        InputStream plain;
        try {
            plain = aead.newDecryptingStream(afterEnvelope, Envelope.of(keyId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start AES-GCM decryption: " + e.getMessage(), e);
        }
        return new FilterInputStream(plain) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw authenticationFailed(file, keyId, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw authenticationFailed(file, keyId, e);
                }
            }
        };
    }

    private static CorruptedStateException authenticationFailed(Path file, String keyId, IOException e) {
        return new CorruptedStateException("authentication failed: the key '" + keyId + "' configured is not the "
                + "one the file was encrypted with, or the content was modified, reordered or truncated ("
                + e.getMessage() + ")", file, e);
    }

    /**
     * An HMAC-SHA256 tag under a key derived from the primary key for one purpose.
     *
     * @param purpose what the tag protects, e.g. {@code "manifest"}; keys of different purposes differ
     * @param data    the bytes to authenticate
     * @return the tag, in lower-case hex
     */
    public String mac(String purpose, byte[] data) {
        return mac(keys.primaryId(), purpose, data, null);
    }

    /**
     * Checks a tag made by {@link #mac} under the key {@code keyId}.
     *
     * @param keyId   the key id the tag names
     * @param purpose as given to {@link #mac}
     * @param data    the bytes authenticated
     * @param tag     the tag, in hex
     * @param file    names the file in errors
     * @return true when the tag matches
     * @throws EncryptionException when no key with that id is configured
     */
    public boolean verifyMac(String keyId, String purpose, byte[] data, String tag, Path file) {
        String expected = mac(keyId, purpose, data, file);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                String.valueOf(tag).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String keyId, String purpose, byte[] data, Path file) {
        byte[] key = keys.key(keyId);
        if (key == null) {
            throw missingKey(keyId, file);
        }
        try {
            byte[] derived = Hkdf.computeHkdf(HKDF, key, new byte[0],
                    ("vecpersist " + purpose + " hmac v1").getBytes(StandardCharsets.US_ASCII), KEY_BYTES);
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(derived, "HmacSHA256"));
            return HexFormat.of().formatHex(hmac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable: " + e.getMessage(), e);
        }
    }

    private AesGcmHkdfStreaming aeadOrFail(String keyId, Path file) {
        if (!keys.contains(keyId)) {
            throw missingKey(keyId, file);
        }
        return aead(keyId);
    }

    private EncryptionException missingKey(String keyId, Path file) {
        return new EncryptionException("encrypted with key '" + keyId + "', which is not among the configured keys "
                + keys.ids() + "; add it (as an older key) to read this", keyId, file);
    }

    private AesGcmHkdfStreaming aead(String keyId) {
        return aeads.computeIfAbsent(keyId, id -> {
            try {
                return new AesGcmHkdfStreaming(keys.key(id), HKDF, KEY_BYTES, SEGMENT_BYTES, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES256_GCM_HKDF_1MB is unavailable: " + e.getMessage(), e);
            }
        });
    }
}
