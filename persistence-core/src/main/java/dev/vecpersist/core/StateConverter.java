package dev.vecpersist.core;

import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.EncryptionKeys;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.io.FileOps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a state file in another format and codec, keeping its header (kind, creation time, user
 * metadata, index state), its entries and its deletions, so the output's content checksum equals the
 * input's. The input is verified completely before the output is written (atomically). Holds the
 * entries in memory once, as a load does. Thread-safe (stateless between calls).
 *
 * <pre>{@code
 * new StateConverter().convert(Path.of("in.json"), Path.of("out.msgpack.lz4"), "msgpack", "lz4", null, ProgressListener.NONE);
 * }</pre>
 */
public final class StateConverter {

    private static final int BATCH = 1000;

    /**
     * What a conversion wrote.
     *
     * @param entries   the entries written
     * @param deletions the deletions written (a delta's)
     * @param checksum  the output's content checksum, equal to the input's
     */
    public record Converted(long entries, long deletions, String checksum) {
    }

    private final Plugins plugins;
    private final StateFileReader reader;
    private final StateFileWriter writer;

    /** A converter using the plugins on the class path. */
    public StateConverter() {
        this(Plugins.discover());
    }

    /**
     * A converter using the given plugins.
     *
     * @param plugins the formats and codecs to read and write with
     */
    public StateConverter(Plugins plugins) {
        this(plugins, null, null);
    }

    /**
     * A converter that decrypts its input and/or encrypts its output.
     *
     * @param plugins   the formats and codecs to read and write with
     * @param readKeys  the keys to decrypt the input with, or null for none
     * @param writeKeys the keys whose primary encrypts the output, or null to write in clear
     */
    public StateConverter(Plugins plugins, EncryptionKeys readKeys, EncryptionKeys writeKeys) {
        this.plugins = plugins;
        this.reader = new StateFileReader(plugins, FileOps.SYSTEM, PersistenceOptions.DEFAULT_MAX_SCRATCH_BYTES,
                readKeys == null ? null : new Encryption(readKeys));
        this.writer = new StateFileWriter(FileOps.SYSTEM, writeKeys == null ? null : new Encryption(writeKeys));
    }

    /**
     * Converts {@code in} into {@code out}.
     *
     * @param in          a state file in any format and codec on the class path (detected)
     * @param out         the file to write, replaced atomically
     * @param format      the output format's name
     * @param compression the output codec's name, or {@code "none"}
     * @param level       the compression level, or null for the codec's default
     * @param listener    receives a "convert-read" and a "convert-write" operation's progress
     * @return how many entries and deletions were written, and the content checksum (equal to the input's)
     * @throws dev.vecpersist.api.UnsupportedFormatException when a format or codec is not on the class path
     * @throws dev.vecpersist.api.CorruptedStateException    when the input is damaged; nothing is written then
     * @throws PersistenceException                          when reading or writing fails; a previous {@code out} is untouched
     * @throws IllegalArgumentException                      when the level is outside the codec's range
     */
    public Converted convert(Path in, Path out, String format, String compression, Integer level, ProgressListener listener) {
        StateFormat f = plugins.format(format);
        CompressionCodec c = plugins.codec(compression);
        int l = SaveFormat.levelFor(c, level);
        Path source = in.toAbsolutePath().normalize();
        Path target = out.toAbsolutePath().normalize();
        List<VectorEntry> entries = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        ProgressReporter reading = new ProgressReporter("convert-read", 0, listener, BATCH);
        reading.start("reading " + source.getFileName());
        StateFileReader.Result read = reader.read(source, StateFileReader.Expectation.ANY, true,
                new StateFileReader.Consumer() {
                    @Override
                    public void entry(VectorEntry entry) {
                        entries.add(entry);
                    }

                    @Override
                    public void deletion(String id) {
                        deletions.add(id);
                    }
                }, reading, scratchDir(source));
        reading.finish("read " + entries.size() + " entries");
        StateHeader h = read.header();
        StateHeader header = new StateHeader(f.formatVersion(), h.kind(), h.dimension(), h.metric(), h.entryCount(),
                h.deletionCount(), h.createdAt(), h.userMetadata(), h.indexState());
        ProgressReporter writing = new ProgressReporter("convert-write", entries.size(), listener, BATCH);
        writing.start("writing " + target.getFileName());
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            StateFileWriter.Written written = writer.writeFile(target, f, c, l, header,
                    new StateFileWriter.Body(entries, deletions), writing);
            writing.finish("wrote " + target.getFileName());
            return new Converted(written.entries(), written.deletions(), written.checksum());
        } catch (IOException e) {
            throw new PersistenceException("convert failed, the previous file is untouched: " + e.getMessage(), target, e);
        }
    }

    private static Path scratchDir(Path file) {
        Path parent = file.getParent();
        return parent != null && Files.isWritable(parent) ? parent : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
