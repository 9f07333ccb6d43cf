package dev.vecpersist.core.crypto;

import dev.vecpersist.api.PersistenceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The keys of encryption at rest: one primary key that encrypts everything written, and any number
 * of older keys that still decrypt what they wrote. Every key is 32 bytes (AES-256) and has an id
 * (1..64 characters of {@code [A-Za-z0-9._-]}); files carry the id, never the key.
 * {@link #toString()} shows ids only. Immutable.
 *
 * <pre>{@code
 * EncryptionKeys keys = EncryptionKeys.of("k2", key2).withOlder("k1", key1);
 * EncryptionKeys fromStore = EncryptionKeys.fromKeyStore(Path.of("keys.p12"), password, "k2", "k1");
 * EncryptionKeys fromEnv = EncryptionKeys.fromEnvironment("VECPERSIST_KEY"); // "k2:BASE64[,k1:BASE64]"
 * }</pre>
 */
public final class EncryptionKeys {

    /** The length of every key: AES-256. */
    public static final int KEY_BYTES = 32;

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String primaryId;
    private final Map<String, byte[]> keys;

    private EncryptionKeys(String primaryId, Map<String, byte[]> keys) {
        this.primaryId = primaryId;
        this.keys = keys;
    }

    /**
     * Keys with one primary key.
     *
     * @param keyId the primary key's id, stored in every file it encrypts
     * @param key   32 random bytes (copied)
     * @return the keys
     * @throws IllegalArgumentException when the id is malformed or the key is not 32 bytes
     */
    public static EncryptionKeys of(String keyId, byte[] key) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        map.put(checkId(keyId), checkKey(keyId, key));
        return new EncryptionKeys(keyId, Collections.unmodifiableMap(map));
    }

    /**
     * These keys plus an older one that only decrypts (after a rotation).
     *
     * @param keyId the older key's id
     * @param key   its 32 bytes (copied)
     * @return new keys; this object is unchanged
     * @throws IllegalArgumentException when the id is malformed or already present, or the key is not 32 bytes
     */
    public EncryptionKeys withOlder(String keyId, byte[] key) {
        if (keys.containsKey(checkId(keyId))) {
            throw new IllegalArgumentException("key id '" + keyId + "' is already present");
        }
        Map<String, byte[]> map = new LinkedHashMap<>(keys);
        map.put(keyId, checkKey(keyId, key));
        return new EncryptionKeys(primaryId, Collections.unmodifiableMap(map));
    }

    /**
     * Loads secret-key entries from a PKCS#12 key store; the first alias is the primary key, the
     * alias is the key id.
     *
     * @param file     the {@code .p12} file
     * @param password the store's password (also the entries' password)
     * @param aliases  the entries to load, primary first (at least one)
     * @return the keys
     * @throws PersistenceException     when the store cannot be read or an alias is missing
     * @throws IllegalArgumentException when no alias is given, or an entry is not a 32-byte secret key
     */
    public static EncryptionKeys fromKeyStore(Path file, char[] password, String... aliases) {
        if (aliases.length == 0) {
            throw new IllegalArgumentException("name at least one key alias (the primary key first)");
        }
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new PersistenceException("cannot read the key store: " + e.getMessage(), file, e);
        }
        EncryptionKeys result = null;
        for (String alias : aliases) {
            byte[] key;
            try {
                Key entry = store.getKey(alias, password);
                if (entry == null) {
                    throw new PersistenceException("the key store has no entry '" + alias + "'", file, null);
                }
                key = entry.getEncoded();
            } catch (GeneralSecurityException e) {
                throw new PersistenceException("cannot read key '" + alias + "': " + e.getMessage(), file, e);
            }
            result = result == null ? of(alias, key) : result.withOlder(alias, key);
            Arrays.fill(key, (byte) 0);
        }
        return result;
    }

    /**
     * Loads keys from an environment variable; see {@link #parse(String)} for its syntax.
     *
     * @param variable the variable's name, e.g. {@code VECPERSIST_KEY}
     * @return the keys
     * @throws IllegalArgumentException when the variable is unset or malformed (the message never shows its value)
     */
    public static EncryptionKeys fromEnvironment(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the environment variable " + variable + " is not set");
        }
        return parse(value);
    }

    /**
     * Loads keys from a text file; see {@link #parse(String)} for its syntax (line breaks separate keys too).
     *
     * @param file the key file
     * @return the keys
     * @throws PersistenceException     when the file cannot be read
     * @throws IllegalArgumentException when it is malformed
     */
    public static EncryptionKeys fromFile(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PersistenceException("cannot read the key file: " + e.getMessage(), file, e);
        }
    }

    /**
     * Parses {@code ID:BASE64KEY} items separated by commas or line breaks, the primary key first;
     * blank lines and lines starting with {@code #} are ignored.
     *
     * @param spec the text
     * @return the keys
     * @throws IllegalArgumentException when an item is malformed (the message never shows key material)
     */
    public static EncryptionKeys parse(String spec) {
        EncryptionKeys result = null;
        List<String> items = new ArrayList<>();
        for (String line : spec.split("\\R")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (String item : line.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no key given: expected ID:BASE64KEY[,ID:BASE64KEY...]");
        }
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("key " + (i + 1) + " is not of the form ID:BASE64KEY");
            }
            String id = item.substring(0, colon);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(item.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key '" + id + "' is not valid base64");
            }
            result = result == null ? of(id, key) : result.withOlder(id, key);
            Arrays.fill(key, (byte) 0);
        }
        return result;
    }

    /** {@return the primary key's id: new files are encrypted under it} */
    public String primaryId() {
        return primaryId;
    }

    /** {@return every key id, the primary first} */
    public List<String> ids() {
        return List.copyOf(keys.keySet());
    }

    /**
     * Whether a key with this id is present.
     *
     * @param keyId a key id
     * @return true when present
     */
    public boolean contains(String keyId) {
        return keys.containsKey(keyId);
    }

    /** The key's bytes (not copied: callers in this package never change or leak them), or null. */
    byte[] key(String keyId) {
        return keys.get(keyId);
    }

    static boolean isWellFormedId(String keyId) {
        return keyId != null && KEY_ID.matcher(keyId).matches();
    }

    private static String checkId(String keyId) {
        if (!isWellFormedId(keyId)) {
            throw new IllegalArgumentException("a key id is 1..64 characters of [A-Za-z0-9._-], was '" + keyId + "'");
        }
        return keyId;
    }

    private static byte[] checkKey(String keyId, byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("key '" + keyId + "' must be " + KEY_BYTES + " bytes (AES-256), was "
                    + key.length);
        }
        return key.clone();
    }

    @Override
    public String toString() {
        return "EncryptionKeys[primary=" + primaryId + ", ids=" + keys.keySet() + "]";
    }
}
