package dev.vecpersist.core.audit;

import com.fasterxml.jackson.core.JsonParser;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.json.JsonSetup;
import dev.vecpersist.json.MetadataJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit log's line format and hash chain. A line is a JSON object whose last field is
 * {@code "hash"}: the SHA-256 (with encryption on, an HMAC-SHA256 under a key derived from the
 * named key) of everything before {@code ,"hash":}. Each line's {@code "prev"} is the previous
 * line's hash, so an edited line fails its own hash and a removed or moved one breaks the links
 * (and the {@code "seq"} numbers). Files: {@code audit.log}, and rotated ones {@code audit-NNNNNN.log}.
 */
final class AuditChain {

    static final String FILE = "audit.log";
    static final Pattern ROTATED = Pattern.compile("audit-(\\d{6})\\.log");
    /** The {@code prev} of the very first line. */
    static final String GENESIS = "0".repeat(64);
    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final String PURPOSE = "audit";

    private AuditChain() {
    }

    static String rotatedName(int number) {
        return String.format(java.util.Locale.ROOT, "audit-%06d.log", number);
    }

    /** The hash of a line's body, under {@code keyId} when not null. */
    static String hash(Encryption encryption, String keyId, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (keyId == null) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
        }
        return encryption.mac(PURPOSE, bytes);
    }

    /** Whether the body's HMAC under {@code keyId} is {@code hash}; throws EncryptionException without that key. */
    static boolean verifyMac(Encryption encryption, String keyId, String body, String hash, Path file) {
        return encryption.verifyMac(keyId, PURPOSE, body.getBytes(StandardCharsets.UTF_8), hash, file);
    }

    /** The line: the body and its hash. */
    static String line(String body, String hash) {
        return body + HASH_FIELD + hash + "\"}";
    }

    /** A parsed line. */
    record Line(String body, String hash, Map<String, Object> fields) {
        long seq() {
            return fields.get("seq") instanceof Long l ? l : -1;
        }

        String prev() {
            return fields.get("prev") instanceof String s ? s : null;
        }

        String keyId() {
            return fields.get("keyId") instanceof String s ? s : null;
        }
    }

    /** Parses a line; null when it is not a well-formed audit line. */
    static Line parse(String text) {
        int at = text.lastIndexOf(HASH_FIELD);
        if (at < 0 || !text.endsWith("\"}")) {
            return null;
        }
        String hash = text.substring(at + HASH_FIELD.length(), text.length() - 2);
        try (JsonParser p = JsonSetup.FACTORY.createParser(text)) {
            Map<String, Object> fields = MetadataJson.readDocument(p);
            if (!hash.equals(fields.get("hash")) || p.nextToken() != null) {
                return null;
            }
            return new Line(text.substring(0, at), hash, fields);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
