package dev.vecpersist.core;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.core.crypto.Encryption;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The manifest's HMAC: with encryption on, {@code "seal": {"keyId": ..., "hmacSha256": ...}} covers
 * every field, under a key derived (HKDF) from the primary key. A manifest without a seal, with a
 * seal that does not verify, or sealed under a key that is not configured, is refused.
 */
final class ManifestSeal {

    static final String FIELD = "seal";
    private static final String PURPOSE = "manifest";

    private ManifestSeal() {
    }

    static void write(JsonGenerator g, Encryption encryption, byte[] canonical) throws IOException {
        if (encryption == null) {
            return;
        }
        g.writeObjectFieldStart(FIELD);
        g.writeStringField("keyId", encryption.keys().primaryId());
        g.writeStringField("hmacSha256", encryption.mac(PURPOSE, canonical));
        g.writeEndObject();
    }

    static void check(Map<String, Object> doc, Encryption encryption, boolean acceptUnsealed, byte[] canonical,
                      Path file) {
        Object seal = doc.get(FIELD);
        if (seal == null) {
            if (encryption != null && !acceptUnsealed) {
                throw new CorruptedStateException("the manifest is not authenticated, but encryption is configured: "
                        + "it was replaced or written without encryption (DatabasePersistence.reencrypt() adopts a "
                        + "directory saved before encryption was turned on)", file, null);
            }
            return;
        }
        if (!(seal instanceof Map<?, ?> fields) || !(fields.get("keyId") instanceof String keyId)
                || !(fields.get("hmacSha256") instanceof String tag)) {
            throw new CorruptedStateException("malformed manifest seal", file, null);
        }
        if (encryption == null) {
            throw new EncryptionException("the manifest is authenticated with key '" + keyId + "', but no encryption "
                    + "keys are configured (PersistenceOptions.encryption, or --key-file / VECPERSIST_KEY)", keyId, file);
        }
        if (!encryption.verifyMac(keyId, PURPOSE, canonical, tag, file)) {
            throw new CorruptedStateException("manifest authentication failed: it was edited, or sealed with another "
                    + "key named '" + keyId + "'", file, null);
        }
    }
}
