package dev.vecpersist.cli;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.crypto.EncryptionKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import static dev.vecpersist.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --key-file} with inspect, verify, convert and snapshots, and the errors without it. */
class EncryptionCliTest {

    @TempDir
    Path dir;

    private static byte[] key(long seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    private Path keyFile(String... lines) throws Exception {
        return Files.writeString(dir.resolve("keys-" + lines.length + ".txt"), String.join("\n", lines) + "\n");
    }

    private static String spec(String id, long seed) {
        return id + ":" + Base64.getEncoder().encodeToString(key(seed));
    }

    @Test
    void inspectVerifyConvertAndSnapshotsWorkWithAKeyFile() throws Exception {
        Path base = dir.resolve("base");
        VectorDB db = Databases.random(40, 8, 3);
        EncryptionKeys keys = EncryptionKeys.parse(spec("k1", 1));
        String snapshotId;
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).format("msgpack")
                .compression("gzip").encryption(keys).build())) {
            p.save();
            SnapshotMetadata s = p.createSnapshot("enc");
            snapshotId = s.id();
        }
        Path file = base.resolve("state-0000000001.msgpack.gz");
        Path keys1 = keyFile(spec("k1", 1));

        CliTest.Result without = run("inspect", file.toString());
        assertThat(without.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(without.err()).contains("encrypted with key 'k1'").contains("--key-file");

        CliTest.Result inspect = run("inspect", "--key-file", keys1.toString(), file.toString());
        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("format:         msgpack").contains("compression:    gzip")
                .contains("encryption:     AES-256-GCM streaming, key 'k1'").contains("entries:        40");

        CliTest.Result verify = run("verify", "--key-file", keys1.toString(), base.toString());
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("encrypted with key 'k1', authenticated").contains("2 file(s) checked, 0 damaged");

        CliTest.Result wrong = run("verify", "--key-file", keyFile(spec("k1", 2), "# same id, other key").toString(),
                file.toString());
        assertThat(wrong.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(wrong.out()).as(wrong.err()).contains("authentication failed");

        // convert re-encrypts under the primary key of the key file; --decrypt writes clear output
        Path rotated = dir.resolve("rotated.json");
        Path keys21 = keyFile(spec("k2", 22), spec("k1", 1));
        CliTest.Result convert = run("convert", "--key-file", keys21.toString(), "-f", "json", file.toString(), rotated.toString());
        assertThat(convert.code()).as(convert.err()).isZero();
        assertThat(convert.out()).contains("encrypted with key 'k2'");
        assertThat(run("inspect", "--key-file", keys21.toString(), rotated.toString()).out()).contains("key 'k2'");
        Path clear = dir.resolve("clear.json");
        assertThat(run("convert", "--key-file", keys1.toString(), "--decrypt", "-f", "json", file.toString(),
                clear.toString()).code()).isZero();
        assertThat(Files.readString(clear)).startsWith("{");
        assertThat(run("inspect", clear.toString()).out()).contains("encryption:     none");

        CliTest.Result list = run("snapshots", "list", "--dir", base.toString());
        assertThat(list.out()).contains(snapshotId);
        CliTest.Result restore = run("snapshots", "restore", "--dir", base.toString(), "--key-file", keys1.toString(), snapshotId);
        assertThat(restore.code()).as(restore.err()).isZero();
        CliTest.Result create = run("snapshots", "create", "--dir", base.toString(), "--key-file", keys1.toString(), "-n", "again");
        assertThat(create.code()).as(create.err()).isZero();
        CliTest.Result createWithout = run("snapshots", "create", "--dir", base.toString(), "-n", "nokey");
        assertThat(createWithout.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(createWithout.err()).contains("'k1'");
    }

    @Test
    void auditVerifyReportsAnIntactChainAndTheFirstEditedLine() throws Exception {
        Path base = dir.resolve("audited");
        VectorDB db = Databases.random(10, 4, 1);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(base).auditLog(true)
                .encryption(EncryptionKeys.parse(spec("k1", 1))).build())) {
            p.save();
            p.save();
            p.load();
        }
        Path keys = keyFile(spec("k1", 1));
        CliTest.Result ok = run("audit", "verify", "--key-file", keys.toString(), base.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("OK  3 line(s) in 1 file(s), the chain is intact");
        CliTest.Result noKey = run("audit", "verify", base.toString());
        assertThat(noKey.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(noKey.err()).contains("HMAC-chained under key 'k1'");
        Path log = base.resolve("audit.log");
        Files.writeString(log, Files.readString(log).replaceFirst("\"operation\":\"load\"", "\"operation\":\"save\""));
        CliTest.Result tampered = run("audit", "verify", "--key-file", keys.toString(), base.toString());
        assertThat(tampered.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(tampered.out()).contains("TAMPERED  audit.log line 3 (seq 3) was edited");
    }

    @Test
    void aMalformedKeyFileIsAClearError() throws Exception {
        Path file = dir.resolve("any.json");
        Files.writeString(file, "{}");
        CliTest.Result r = run("inspect", "--key-file", keyFile("k1:not-base64!!").toString(), file.toString());
        assertThat(r.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(r.err()).contains("key 'k1' is not valid base64").doesNotContain("not-base64!!");
    }
    @Test
    void recoverRebuildsADamagedManifestOfAnEncryptedDirectorySealedUnderThePrimaryKey() throws Exception {
        Path base = dir.resolve("recover");
        EncryptionKeys keys = EncryptionKeys.parse(spec("k1", 1));
        try (DatabasePersistence p = new DatabasePersistence(Databases.random(30, 8, 5), PersistenceOptions.builder()
                .baseDir(base).format("sqlite").compression("gzip").encryption(keys).build())) {
            p.save();
        }
        Path manifest = base.resolve("MANIFEST.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"generation\"", "\"generatio\""));
        Path keys1 = keyFile(spec("k1", 1));

        CliTest.Result damaged = run("verify", "--key-file", keys1.toString(), base.toString());
        assertThat(damaged.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(damaged.out()).contains("'vecpersist recover " + base + "' rebuilds the manifest");

        CliTest.Result withoutKeys = run("recover", base.toString());
        assertThat(withoutKeys.code()).as(withoutKeys.out() + withoutKeys.err()).isEqualTo(VecPersistCli.FAILED);

        CliTest.Result recover = run("recover", "--key-file", keys1.toString(), base.toString());
        assertThat(recover.code()).as(recover.out() + recover.err()).isZero();
        assertThat(recover.out()).contains("intact   state-0000000001.sqlite.gz").contains("rebuilt ");
        assertThat(Files.readString(manifest)).contains("\"seal\"").contains("\"keyId\" : \"k1\"");

        CliTest.Result verify = run("verify", "--key-file", keys1.toString(), base.toString());
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("encrypted with key 'k1', authenticated").contains("0 damaged");
        VectorDB loaded = Databases.random(0, 8, 5);
        try (DatabasePersistence p = new DatabasePersistence(loaded, PersistenceOptions.builder().baseDir(base)
                .encryption(keys).build())) {
            p.load();
        }
        assertThat(loaded.size()).isEqualTo(30);
    }
}
