package dev.vecpersist.reliability;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.crypto.EncryptionKeys;

import dev.vecpersist.core.crypto.Envelope;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a child JVM that the rotation crash test kills with SIGKILL at a random moment: it
 * re-encrypts the base directory over and over, alternating the primary key between "k1" and
 * "k2", so that every kill lands in some rotation. Prints "ready" once the first manager is open.
 *
 * <p>Arguments: baseDir.
 */
public final class RotationWorker {

    static final int DIMENSION = 64;
    static final EncryptionKeys K1_FIRST = EncryptionKeys.of("k1", EncryptedCorruptionMatrixTest.key(1))
            .withOlder("k2", EncryptedCorruptionMatrixTest.key(2));
    static final EncryptionKeys K2_FIRST = EncryptionKeys.of("k2", EncryptedCorruptionMatrixTest.key(2))
            .withOlder("k1", EncryptedCorruptionMatrixTest.key(1));

    private RotationWorker() {
    }

    static PersistenceOptions options(Path base, EncryptionKeys keys) {
        return PersistenceOptions.builder().baseDir(base).format("msgpack").compression("none").encryption(keys).build();
    }

    static String committedKeyId(Path base) throws IOException {
        try (DatabasePersistence p = new DatabasePersistence(new VectorDB(DIMENSION, Metric.COSINE), options(base, K1_FIRST));
             InputStream in = new BufferedInputStream(Files.newInputStream(p.committedFiles().get(0)))) {
            return Envelope.readKeyId(in, base);
        }
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]);
        // start with the key the committed base is not under, so that every round really rotates
        boolean k2 = !"k2".equals(committedKeyId(base));
        for (int round = 0; ; round++, k2 = !k2) {
            try (DatabasePersistence p = new DatabasePersistence(new VectorDB(DIMENSION, Metric.COSINE),
                    options(base, k2 ? K2_FIRST : K1_FIRST))) {
                if (round == 0) {
                    System.out.println("ready");
                    System.out.flush();
                }
                p.reencrypt();
                System.out.println("rotated to " + (k2 ? "k2" : "k1"));
                System.out.flush();
            }
        }
    }
}
