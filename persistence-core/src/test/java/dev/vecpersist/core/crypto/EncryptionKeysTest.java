package dev.vecpersist.core.crypto;

import dev.vecpersist.api.PersistenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptionKeysTest {

    @TempDir
    Path dir;

    private static byte[] key(long seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    @Test
    void primaryAndOlderKeys() {
        EncryptionKeys keys = EncryptionKeys.of("k2", key(2)).withOlder("k1", key(1));
        assertThat(keys.primaryId()).isEqualTo("k2");
        assertThat(keys.ids()).containsExactly("k2", "k1");
        assertThat(keys.key("k1")).isEqualTo(key(1));
        assertThat(keys.contains("k3")).isFalse();
        assertThat(keys.toString()).contains("k2", "k1").doesNotContain(Base64.getEncoder().encodeToString(key(2)));
        assertThatThrownBy(() -> keys.withOlder("k1", key(3))).hasMessageContaining("already present");
        assertThatThrownBy(() -> EncryptionKeys.of("k1", new byte[16])).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> EncryptionKeys.of("bad id", key(1))).hasMessageContaining("key id");
    }

    @Test
    void parsesIdBase64ItemsFromTextAndFiles() throws Exception {
        String text = "# rotated 2026-11\nk2:" + Base64.getEncoder().encodeToString(key(2)) + "\n\n"
                + "k1:" + Base64.getEncoder().encodeToString(key(1)) + ", k0:" + Base64.getEncoder().encodeToString(key(0));
        EncryptionKeys keys = EncryptionKeys.fromFile(Files.writeString(dir.resolve("keys"), text));
        assertThat(keys.ids()).containsExactly("k2", "k1", "k0");
        assertThat(keys.key("k0")).isEqualTo(key(0));
        assertThatThrownBy(() -> EncryptionKeys.parse("")).hasMessageContaining("no key given");
        assertThatThrownBy(() -> EncryptionKeys.parse("justbase64")).hasMessageContaining("ID:BASE64KEY");
        assertThatThrownBy(() -> EncryptionKeys.fromEnvironment("VECPERSIST_TEST_UNSET_VARIABLE_19"))
                .hasMessageContaining("is not set");
    }

    @Test
    void loadsSecretKeysFromAPkcs12KeyStore() throws Exception {
        char[] password = "store-pass".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        store.setEntry("k2", new KeyStore.SecretKeyEntry(new SecretKeySpec(key(2), "AES")), new KeyStore.PasswordProtection(password));
        store.setEntry("k1", new KeyStore.SecretKeyEntry(new SecretKeySpec(key(1), "AES")), new KeyStore.PasswordProtection(password));
        Path file = dir.resolve("keys.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        EncryptionKeys keys = EncryptionKeys.fromKeyStore(file, password, "k2", "k1");
        assertThat(keys.primaryId()).isEqualTo("k2");
        assertThat(keys.key("k2")).isEqualTo(key(2));
        assertThat(keys.key("k1")).isEqualTo(key(1));
        assertThatThrownBy(() -> EncryptionKeys.fromKeyStore(file, password, "k9")).isInstanceOf(PersistenceException.class)
                .hasMessageContaining("no entry 'k9'");
        assertThatThrownBy(() -> EncryptionKeys.fromKeyStore(file, "wrong".toCharArray(), "k2"))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("cannot read the key store");
    }
}
