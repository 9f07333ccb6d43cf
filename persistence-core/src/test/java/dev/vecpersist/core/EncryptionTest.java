package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptionTest {

    static final byte[] KEY1 = key(1);
    static final byte[] KEY2 = key(2);

    @TempDir
    Path dir;

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        k[0] = (byte) (seed * 31);
        return k;
    }

    private PersistenceOptions.Builder opts(EncryptionKeys keys) {
        return PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip").encryption(keys);
    }

    private static VectorDB db(int n, long seed) {
        VectorDB db = new VectorDB(8, Metric.COSINE);
        db.insertBatch(TestStates.mixedMetadataEntries(n, 8, seed));
        return db;
    }

    @Test
    void everyFileTheManagerWritesIsEncryptedAndHoldsNoPlaintext() throws IOException {
        VectorDB db = db(200, 1);
        db.insert(new VectorEntry("secret-document-id-42", new float[8], Map.of("title", "Quarterly merger plans")));
        List<VectorEntry> expected;
        Path export = dir.resolve("out/export.json");
        SnapshotMetadata snap;
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            p.save();
            db.insert(new VectorEntry("secret-delta-id-7", new float[8], Map.of("title", "Layoff list draft")));
            Optional<Path> delta = p.saveIncremental();
            assertThat(delta).isPresent();
            snap = p.createSnapshot("nightly", Map.of());
            p.export(ExportOptions.to(export).compression("none").build());
            expected = contents(db);
        }
        List<Path> written;
        try (Stream<Path> files = Files.walk(dir)) {
            written = files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(
                    "state-.*|.*\\.data|export\\.json")).toList();
        }
        assertThat(written).hasSize(4);
        for (Path f : written) {
            byte[] bytes = Files.readAllBytes(f);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).as(f.toString()).startsWith("\u00e5VPCRYPT\u0001\u0002k1")
                    .doesNotContain("secret-document-id-42").doesNotContain("secret-delta-id-7")
                    .doesNotContain("Quarterly merger plans").doesNotContain("Layoff list draft")
                    .doesNotContain("vec-1").doesNotContain("\"dimension\"");
            assertThat(new StateInspector(Plugins.discover(), EncryptionKeys.of("k1", KEY1)).verify(f).keyId())
                    .isEqualTo("k1");
        }
        String manifest = Files.readString(dir.resolve(Manifest.FILE_NAME));
        assertThat(manifest).contains("\"seal\"").contains("\"keyId\" : \"k1\"");

        VectorDB loaded = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(loaded, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            p.load();
            assertSameContent(loaded, expected);
            loaded.clear();
            p.restoreSnapshot(snap.id());
            assertSameContent(loaded, expected);
            loaded.clear();
            p.importFrom(ImportOptions.from(export).build());
            assertSameContent(loaded, expected);
        }
    }

    @Test
    void aMissingKeyIsAnEncryptionExceptionNamingTheKeyId() {
        VectorDB db = db(20, 2);
        Path file = dir.resolve("one.json");
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            p.save(file);
            p.save();
        }
        VectorDB other = db(3, 3);
        List<VectorEntry> before = contents(other);
        try (DatabasePersistence p = new DatabasePersistence(other, opts(null).build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(EncryptionException.class)
                    .hasMessageContaining("encrypted with key 'k1'").satisfies(e ->
                            assertThat(((EncryptionException) e).keyId()).isEqualTo("k1"));
            assertThatThrownBy(p::load).isInstanceOf(EncryptionException.class).hasMessageContaining("'k1'");
        }
        try (DatabasePersistence p = new DatabasePersistence(other, opts(EncryptionKeys.of("k2", KEY2)).build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(EncryptionException.class)
                    .hasMessageContaining("'k1'").hasMessageContaining("[k2]");
        }
        assertSameContent(other, before);
    }

    @Test
    void aWrongKeyUnderTheRightIdFailsAuthentication() {
        VectorDB db = db(20, 2);
        Path file = dir.resolve("one.json");
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            p.save(file);
            p.save();
        }
        VectorDB other = db(3, 3);
        List<VectorEntry> before = contents(other);
        try (DatabasePersistence p = new DatabasePersistence(other, opts(EncryptionKeys.of("k1", KEY2)).build())) {
            assertThatThrownBy(() -> p.load(file)).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("authentication failed");
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("manifest authentication failed");
        }
        assertSameContent(other, before);
    }

    @Test
    void anEditedOrUnsealedManifestIsRefused() throws IOException {
        VectorDB db = db(20, 2);
        try (DatabasePersistence p = new DatabasePersistence(db, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            p.save();
        }
        Path file = dir.resolve(Manifest.FILE_NAME);
        Manifest good = Manifest.read(fs(), file, new dev.vecpersist.core.crypto.Encryption(EncryptionKeys.of("k1", KEY1)), false);
        // an edit that keeps the CRC consistent (written by the library without the key) is refused as unsealed
        Manifest edited = new Manifest(good.generation(), new Manifest.FileRef(good.base().file(), good.base().format(),
                good.base().compression(), good.base().checksum(), 5, 0, good.base().bytes()), List.of());
        edited.write(fs(), dir);
        VectorDB other = new VectorDB(8, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(other, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class).hasMessageContaining("not authenticated");
        }
        // sealed by someone holding another key under the same id
        edited.write(fs(), dir, new dev.vecpersist.core.crypto.Encryption(EncryptionKeys.of("k1", KEY2)));
        try (DatabasePersistence p = new DatabasePersistence(other, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("manifest authentication failed");
        }
        // a sealed manifest whose text was edited by hand (CRC fixed up) fails its HMAC
        good.write(fs(), dir, new dev.vecpersist.core.crypto.Encryption(EncryptionKeys.of("k1", KEY1)));
        String text = Files.readString(file);
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        VersionHistory.Version v = good.history().latest(); // the same history, its version on generation 7
        new Manifest(7, good.base(), good.deltas(), new VersionHistory(List.of(new VersionHistory.Version(v.number(),
                v.time(), v.kind(), 7, v.deltas())), List.of())).write(fs(), elsewhere);
        String forged = text.replace("\"generation\" : " + good.generation(), "\"generation\" : 7")
                .replace(checksumIn(text), checksumIn(Files.readString(elsewhere.resolve(Manifest.FILE_NAME))));
        assertThat(forged).isNotEqualTo(text);
        Files.writeString(file, forged);
        try (DatabasePersistence p = new DatabasePersistence(other, opts(EncryptionKeys.of("k1", KEY1)).build())) {
            assertThatThrownBy(p::load).isInstanceOf(CorruptedStateException.class)
                    .hasMessageContaining("manifest authentication failed");
        }
        assertThat(other.size()).isZero();
    }

    private static String checksumIn(String manifest) {
        return manifest.replaceAll("(?s).*\"checksum\" : \"(crc32c:[0-9a-f]{8})\".*", "$1");
    }

    private static dev.vecpersist.core.io.FileOps fs() {
        return dev.vecpersist.core.io.FileOps.SYSTEM;
    }
}
