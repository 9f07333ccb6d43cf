package dev.vecpersist.it;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A header that claims a newer layout is read before a codec's checksum can vouch for it, so a
 * damaged byte there looks like a newer file. When the codec finds the content damaged, the load
 * says corrupt, not "upgrade VecPersist"; an intact file that does claim a newer layout still says
 * upgrade. (Found by FuzzTest: a msgpack+gzip mutant reported as layout version 61.)
 */
class NewerVersionOrDamageTest {

    @TempDir
    Path dir;

    /** A msgpack state whose header's version is 61, uncompressed. */
    private byte[] claimingVersion61() throws IOException {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(10, 4, 1));
        Path saved;
        try (DatabasePersistence p = new DatabasePersistence(db,
                PersistenceOptions.builder().baseDir(dir.resolve("w")).format("msgpack").build())) {
            saved = p.save(dir.resolve("state.msgpack"));
        }
        byte[] bytes = Files.readAllBytes(saved);
        byte[] key = ("\u00a7version").getBytes(StandardCharsets.ISO_8859_1); // fixstr of 7 bytes
        int at = indexOf(bytes, key);
        assertThat(bytes[at + key.length]).as("the version, a positive fixint").isEqualTo((byte) 1);
        bytes[at + key.length] = 61;
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private Throwable loadFailure(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        VectorDB db = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("l")).build())) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> p.load(file));
            assertThat(db.size()).as("nothing loaded").isZero();
            assertThat(failure).as(name).isNotNull().hasMessageContaining(file.toString());
            return failure;
        }
    }

    @Test
    void anIntactFileClaimingANewerLayoutSaysUpgrade() throws IOException {
        byte[] newer = claimingVersion61();
        assertThat(loadFailure("plain.msgpack", newer)).isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("version 61 is newer");
        assertThat(loadFailure("intact.msgpack.gz", gzip(newer))).isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("version 61 is newer");
    }

    @Test
    void aCompressedFileWhoseChecksumFailsIsCorruptWhateverItsHeaderClaims() throws IOException {
        byte[] gz = gzip(claimingVersion61());
        gz[gz.length - 8] ^= 0x55; // the gzip trailer's CRC-32 of the content
        Throwable failure = loadFailure("damaged.msgpack.gz", gz);
        assertThat(failure).isInstanceOf(CorruptedStateException.class).hasMessageContaining("corrupt gzip/msgpack content");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IncompatibleStateException.class);
        assertThatThrownBy(() -> { throw failure; }).isNotInstanceOf(IncompatibleStateException.class);
    }
}
