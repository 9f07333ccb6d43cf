package dev.vecpersist.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.vecpersist.json.JsonSetup;
import dev.vecpersist.json.MetadataJson;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The committed state of a base directory: one full base file and the deltas to replay over it, in
 * order. Replaced atomically; whatever it lists is complete and durable (Redis' multi-part AOF
 * manifest). It carries a CRC32C of its own fields ({@link ManifestChecksum}) and, with encryption on,
 * an HMAC-SHA256 of the same canonical bytes under a key derived from the primary key, so that a
 * swapped or edited manifest is refused ({@link ManifestSeal}). Immutable.
 *
 * <p>Version 3 adds the retained versions ({@link VersionHistory}): the history lives in the manifest so
 * that one atomic rename commits a version and the history together; manifests of versions 1 and 2
 * still load, as a history of their one version.
 *
 * @param generation increases with every full save
 * @param base       the full state
 * @param deltas     the incremental saves since, oldest first
 * @param history    the retained versions, the latest being this chain
 */
record Manifest(long generation, FileRef base, List<FileRef> deltas, VersionHistory history) {

    static final String FILE_NAME = "MANIFEST.json";
    /**
     * Version 3: the retained versions ({@code "history"}), covered by the checksum; version 2: the
     * checksum covers {@link ManifestChecksum}'s canonical bytes (version 1: record text).
     */
    static final int VERSION = 3;
    /** State files we own in a base directory. */
    static final Pattern STATE_FILE = Pattern.compile("state-\\d{10}(-delta-\\d{6})?\\.[A-Za-z0-9.]+");

    /**
     * One file the manifest lists.
     *
     * @param file        file name within the base directory (never a path)
     * @param format      its format's name
     * @param compression its codec's name or "none"
     * @param checksum    its content checksum
     * @param entries     entries it holds
     * @param deletions   deletions it holds
     * @param bytes       its size on disk
     */
    record FileRef(String file, String format, String compression, String checksum, long entries, long deletions, long bytes) {
    }

    Manifest {
        deltas = List.copyOf(deltas);
        java.util.Objects.requireNonNull(history, "history");
    }

    /** A manifest whose history is only itself, numbered 1 (a rebuilt manifest's, or a test's). */
    Manifest(long generation, FileRef base, List<FileRef> deltas) {
        this(generation, base, deltas, VersionHistory.only(generation, deltas.size(), java.time.Instant.EPOCH));
    }

    /** {@return this chain with one more delta, its history only itself (for tests of chains)} */
    Manifest withDelta(FileRef delta) {
        List<FileRef> more = new ArrayList<>(deltas);
        more.add(delta);
        return new Manifest(generation, base, more);
    }

    /** {@return the chain this manifest commits: its base and deltas} */
    VersionHistory.Chain chain() {
        return new VersionHistory.Chain(generation, base, deltas);
    }

    /** {@return the manifest that loads version {@code v} of the history (its chain; its history only itself)} */
    Manifest atVersion(VersionHistory.Version v) {
        VersionHistory.Chain c = history.chainOf(v, chain());
        return new Manifest(c.generation(), c.base(), c.deltas(), new VersionHistory(List.of(v), List.of()));
    }

    /** {@return the names of every file a retained version needs: what must not be deleted} */
    java.util.Set<String> referencedFileNames() {
        return history.referencedFileNames(chain());
    }

    long deltaBytes() {
        return deltas.stream().mapToLong(FileRef::bytes).sum();
    }

    List<String> fileNames() {
        List<String> names = new ArrayList<>();
        names.add(base.file());
        deltas.forEach(d -> names.add(d.file()));
        return names;
    }

    static String baseFileName(long generation, String extension) {
        return String.format(Locale.ROOT, "state-%010d.%s", generation, extension);
    }

    static String deltaFileName(long generation, int delta, String extension) {
        return String.format(Locale.ROOT, "state-%010d-delta-%06d.%s", generation, delta, extension);
    }

    void write(FileOps ops, Path dir) throws IOException {
        write(ops, dir, null);
    }

    /** Writes the manifest atomically, sealed with an HMAC when {@code encryption} is not null. */
    void write(FileOps ops, Path dir, Encryption encryption) throws IOException {
        try (AtomicFile file = AtomicFile.create(ops, dir.resolve(FILE_NAME))) {
            try (OutputStream out = file.stream(); JsonGenerator g = JsonSetup.FACTORY.createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeNumberField("manifestVersion", VERSION);
                g.writeNumberField("generation", generation);
                g.writeFieldName("base");
                writeRef(g, base);
                g.writeArrayFieldStart("deltas");
                for (FileRef d : deltas) {
                    writeRef(g, d);
                }
                g.writeEndArray();
                g.writeFieldName("history");
                VersionHistoryJson.write(g, history);
                byte[] canonical = ManifestChecksum.canonicalBytes(this);
                g.writeStringField("checksum", ManifestChecksum.crc(canonical));
                ManifestSeal.write(g, encryption, canonical);
                g.writeEndObject();
            }
            file.commit();
        }
    }

    static void writeRef(JsonGenerator g, FileRef r) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", r.file());
        g.writeStringField("format", r.format());
        g.writeStringField("compression", r.compression());
        g.writeStringField("checksum", r.checksum());
        g.writeNumberField("entries", r.entries());
        g.writeNumberField("deletions", r.deletions());
        g.writeNumberField("bytes", r.bytes());
        g.writeEndObject();
    }

    static Manifest read(FileOps ops, Path file) {
        return read(ops, file, null, false);
    }

    /**
     * Reads and checks a manifest.
     *
     * @param encryption when not null, the manifest must carry a valid HMAC (unless {@code acceptUnsealed})
     * @param acceptUnsealed accept a manifest without HMAC (adopting a directory saved before encryption)
     */
    static Manifest read(FileOps ops, Path file, Encryption encryption, boolean acceptUnsealed) {
        ContainedFile.requireRegularNoFollow(file, "manifest");
        Map<String, Object> doc;
        try (InputStream in = ops.open(file); JsonParser p = JsonSetup.FACTORY.createParser(in)) {
            doc = MetadataJson.readDocument(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new dev.vecpersist.api.PersistenceException("no manifest: nothing has been saved here", file, e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptedStateException("unreadable manifest: " + e.getMessage(), file, e);
        }
        try {
            long version = number(doc, "manifestVersion");
            if (version < 1) {
                throw new IllegalArgumentException("manifestVersion " + version + " is not a version");
            }
            if (version > VERSION) {
                throw new IncompatibleStateException("manifest version " + version + " is newer than this library's "
                        + VERSION + "; upgrade VecPersist", file, null);
            }
            List<FileRef> deltas = new ArrayList<>();
            for (Object d : (List<?>) doc.get("deltas")) {
                deltas.add(ref(d));
            }
            long generation = number(doc, "generation");
            FileRef base = ref(doc.get("base"));
            Manifest m = version >= 3
                    ? new Manifest(generation, base, deltas, VersionHistoryJson.read(doc.get("history")))
                    : new Manifest(generation, base, deltas, VersionHistory.only(generation, deltas.size(), modified(file)));
            byte[] covered = version == 1 ? ManifestChecksum.legacyBytes(m.generation, m.fileRefs())
                    : version == 2 ? ManifestChecksum.canonicalBytes(m.generation, m.fileRefs())
                    : ManifestChecksum.canonicalBytes(m);
            if (!ManifestChecksum.crc(covered).equals(doc.get("checksum"))) {
                throw new CorruptedStateException("manifest checksum mismatch", file, null);
            }
            ManifestSeal.check(doc, encryption, acceptUnsealed, covered, file);
            m.history.check(m.chain());
            return m;
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | java.time.DateTimeException
                 | ArithmeticException e) {
            throw new CorruptedStateException("malformed manifest: " + e.getMessage(), file, e);
        }
    }

    /** When a manifest written before versions were recorded was written: its one version's time. */
    private static java.time.Instant modified(Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return java.time.Instant.EPOCH;
        }
    }

    @SuppressWarnings("unchecked")
    static FileRef ref(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        String file = (String) m.get("file");
        if (!STATE_FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("manifest names a file that is not a state file: " + file);
        }
        return new FileRef(file, (String) m.get("format"), (String) m.get("compression"), (String) m.get("checksum"),
                number(m, "entries"), number(m, "deletions"), number(m, "bytes"));
    }

    static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not an integer");
        }
        return l;
    }

    List<FileRef> fileRefs() {
        List<FileRef> all = new ArrayList<>();
        all.add(base);
        all.addAll(deltas);
        return all;
    }
}
