package dev.vecpersist.core;

import dev.vecpersist.api.ContentChecksum;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The manifest's own checksum: a CRC32C over a byte encoding this project defines, so that it
 * depends on neither the JDK's record text nor the default locale.
 *
 * <p>Canonical encoding (manifest version 2), big-endian: the UTF-8 bytes of
 * {@code "vecpersist-manifest-2"}, the generation as an 8-byte integer, the number of file
 * references as a 4-byte integer, then per reference (base first, then the deltas in order) the
 * strings file, format, compression and checksum, each as a 4-byte UTF-8 length and its bytes,
 * and the 8-byte integers entries, deletions and bytes.
 */
final class ManifestChecksum {

    private static final String MAGIC = "vecpersist-manifest-2";

    private ManifestChecksum() {
    }

    /** {@return the checksum written by this version, e.g. {@code crc32c:1a2b3c4d}} */
    static String canonical(long generation, List<Manifest.FileRef> refs) {
        return crc(canonicalBytes(generation, refs));
    }

    /**
     * {@return the canonical encoding of a version-2 manifest's fields}: what its CRC32C and, with
     * encryption on, its HMAC seal ({@link ManifestSeal}) cover.
     */
    static byte[] canonicalBytes(long generation, List<Manifest.FileRef> refs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            putString(out, MAGIC);
            out.writeLong(generation);
            out.writeInt(refs.size());
            for (Manifest.FileRef r : refs) {
                putString(out, r.file());
                putString(out, r.format());
                putString(out, r.compression());
                putString(out, r.checksum());
                out.writeLong(r.entries());
                out.writeLong(r.deletions());
                out.writeLong(r.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The checksum of version-1 manifests, which covered the generation and each reference's record
     * text joined with {@code '|'}: kept so that manifests written before version 2 still load.
     */
    static String legacy(long generation, List<Manifest.FileRef> refs) {
        return crc(legacyBytes(generation, refs));
    }

    /** {@return what a version-1 manifest's checksum (and, if sealed, its HMAC) covered} */
    static byte[] legacyBytes(long generation, List<Manifest.FileRef> refs) {
        StringBuilder sb = new StringBuilder().append(generation);
        for (Manifest.FileRef r : refs) {
            sb.append("|FileRef[file=").append(r.file()).append(", format=").append(r.format())
                    .append(", compression=").append(r.compression()).append(", checksum=").append(r.checksum())
                    .append(", entries=").append(r.entries()).append(", deletions=").append(r.deletions())
                    .append(", bytes=").append(r.bytes()).append(']');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return ContentChecksum.PREFIX + String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
