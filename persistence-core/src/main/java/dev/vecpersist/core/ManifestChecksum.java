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
 *
 * <p>Version 3 starts with {@code "vecpersist-manifest-3"}, then the same fields, then the history:
 * the number of versions (4 bytes) and per version its number (8), time (ISO-8601 string), kind
 * (string), generation (8) and deltas (4); then the number of older chains (4) and per chain its
 * generation (8), its number of references (4) and the references as above.
 */
final class ManifestChecksum {

    private static final String MAGIC = "vecpersist-manifest-2";
    private static final String MAGIC_3 = "vecpersist-manifest-3";

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

    /** {@return the canonical encoding of a version-3 manifest: what its CRC32C and seal cover} */
    static byte[] canonicalBytes(Manifest m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            putString(out, MAGIC_3);
            out.writeLong(m.generation());
            putRefs(out, m.fileRefs());
            VersionHistory h = m.history();
            out.writeInt(h.versions().size());
            for (VersionHistory.Version v : h.versions()) {
                out.writeLong(v.number());
                putString(out, v.time().toString());
                putString(out, v.kind().name());
                out.writeLong(v.generation());
                out.writeInt(v.deltas());
            }
            out.writeInt(h.olderChains().size());
            for (VersionHistory.Chain c : h.olderChains()) {
                out.writeLong(c.generation());
                putRefs(out, c.refs());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void putRefs(DataOutputStream out, List<Manifest.FileRef> refs) throws IOException {
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

    static String crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return ContentChecksum.PREFIX + String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
