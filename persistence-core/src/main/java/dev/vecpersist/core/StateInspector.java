package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.FileOps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks into state files without loading them into a database: what they are, what they hold, and
 * whether they are sound. Streams the whole file (memory stays small). Thread-safe.
 *
 * <pre>{@code
 * StateInspector.Report r = new StateInspector().inspect(Path.of("state.json.gz"), 3);
 * System.out.println(r.format() + " " + r.compression() + " " + r.header().entryCount());
 * }</pre>
 */
public final class StateInspector {

    /**
     * What a state file is and holds.
     *
     * @param file          the file
     * @param fileSize      its size in bytes
     * @param format        the detected format's name
     * @param compression   the detected codec's name, or "none"
     * @param header        the header
     * @param firstEntries  up to the requested number of leading entries
     * @param checksum      the stored checksum
     * @param checksumState VERIFIED, NOT_CHECKED, or VERIFIED_REFERENCE_SHA256 for reference-module files
     * @param keyId         the id of the key the file is encrypted with, or null when it is not encrypted
     */
    public record Report(Path file, long fileSize, String format, String compression, StateHeader header,
                         List<VectorEntry> firstEntries, String checksum, String checksumState, String keyId) {
    }

    private final StateFileReader reader;
    private final Encryption encryption;

    /** An inspector using the plugins on the classpath. */
    public StateInspector() {
        this(Plugins.discover());
    }

    /**
     * An inspector using the given plugins.
     *
     * @param plugins the formats and codecs to detect with
     */
    public StateInspector(Plugins plugins) {
        this(plugins, null);
    }

    /**
     * An inspector that can read encrypted files (and authenticated manifests).
     *
     * @param plugins the formats and codecs to detect with
     * @param keys    the keys to decrypt with, or null for none
     */
    public StateInspector(Plugins plugins, EncryptionKeys keys) {
        this.encryption = keys == null ? null : new Encryption(keys);
        this.reader = new StateFileReader(plugins, FileOps.SYSTEM, PersistenceOptions.DEFAULT_MAX_SCRATCH_BYTES, encryption);
    }

    /**
     * Reads the whole file, verifying its checksum, and reports on it.
     *
     * @param file   a state file in any format and codec on the classpath
     * @param firstN how many leading entries to include in the report
     * @return what the file is and holds
     * @throws dev.vecpersist.api.CorruptedStateException   when the file is damaged
     * @throws dev.vecpersist.api.UnsupportedFormatException when a needed module is missing
     */
    public Report inspect(Path file, int firstN) {
        List<VectorEntry> first = new ArrayList<>();
        Path scratch = scratchDir(file);
        StateFileReader.Result r = reader.read(file, StateFileReader.Expectation.ANY, true,
                new StateFileReader.Consumer() {
                    @Override
                    public void entry(VectorEntry entry) {
                        if (first.size() < firstN) {
                            first.add(entry);
                        }
                    }

                    @Override
                    public void deletion(String id) {
                    }
                }, new ProgressReporter("inspect", 0, null, Integer.MAX_VALUE), scratch);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new PersistenceException("cannot read size: " + e.getMessage(), file, e);
        }
        return new Report(file, size, r.encoding().format().name(), r.encoding().codecName(), r.header(),
                first, r.checksum(), r.checksumStatus().name(), r.keyId());
    }

    /**
     * The files of a base directory's committed state (base first, then deltas), from its manifest.
     *
     * @param baseDir a manager's base directory
     * @return the files, in replay order
     * @throws PersistenceException when the directory holds no manifest, or an unreadable one
     */
    public List<Path> committedFiles(Path baseDir) {
        Manifest m = manifestOf(baseDir);
        List<Path> files = new ArrayList<>();
        m.fileNames().forEach(n -> files.add(baseDir.resolve(n)));
        return files;
    }

    /** Reads a base directory's manifest, checking its seal when keys are configured. */
    Manifest manifestOf(Path baseDir) {
        return Manifest.read(FileOps.SYSTEM, baseDir.resolve(Manifest.FILE_NAME), encryption, false);
    }

    /**
     * Detects a state file's format and codec from its first bytes, without reading it further.
     *
     * @param file a state file
     * @return {@code {format, codec}}, the codec being {@code "none"} for an uncompressed file
     * @throws dev.vecpersist.api.UnsupportedFormatException when no format or codec on the class path recognises it
     * @throws PersistenceException                          when the file cannot be read
     */
    public List<String> encoding(Path file) {
        ContentDetector.Encoding e = reader.detect(file);
        return List.of(e.format().name(), e.codecName());
    }

    /**
     * Verifies a whole file; throws on any damage (see {@link #inspect}).
     *
     * @param file a state file
     * @return the report, without entries
     */
    public Report verify(Path file) {
        return inspect(file, 0);
    }

    private static Path scratchDir(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null && Files.isWritable(parent) ? parent : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
