package dev.vecpersist.cli;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.ExportOptions;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.ImportOptions;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.crypto.EncryptionKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code vecpersist convert IN OUT}: rewrite a state in another format and codec. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a state file to another format and/or codec (everything is kept: header, entries, metadata types).")
final class ConvertCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "IN", description = "The state file to read (format and codec detected).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (replaced atomically).")
    Path out;

    @Option(names = {"-f", "--format"}, defaultValue = "msgpack", description = "Output format: json, msgpack, sqlite, ... (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-c", "--compression"}, defaultValue = "none", description = "Output codec: none, gzip, brotli, lz4, ... (default ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = {"-l", "--level"}, description = "Compression level (default: the codec's).")
    Integer level;

    @picocli.CommandLine.Mixin
    KeyOptions keyOptions = new KeyOptions();

    @Option(names = "--decrypt", description = "Write OUT in clear even when keys are given (by default, with keys, "
            + "OUT is encrypted under the primary key).")
    boolean decrypt;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter console = spec.commandLine().getOut();
        if (!Files.isRegularFile(in)) {
            throw new VecPersistCli.CliException(in + ": no such file");
        }
        checkTarget(Plugins.discover());
        EncryptionKeys keys = keyOptions.keys();
        VectorDB db = Databases.shapedLike(in, keys);
        Path work = Databases.tempDir("vecpersist-convert");
        try (DatabasePersistence reading = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(work)
                .encryption(keys).build());
             ProgressDisplay progress = ProgressDisplay.on(console)) {
            reading.importFrom(ImportOptions.from(in).progress(progress).build());
            progress.close();
            reading.close();
            DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(work)
                    .encryption(decrypt ? null : keys).build());
            try (p) {
                p.export(ExportOptions.to(out).format(format).compression(compression).compressionLevel(level)
                        .progress(progress).build());
            }
        } finally {
            Databases.deleteTree(work);
        }
        try {
            console.printf("converted %d entries: %s -> %s (%s/%s%s, %s)%n", db.size(), in, out, format, compression,
                    keys == null || decrypt ? "" : ", encrypted with key '" + keys.primaryId() + "'",
                    Formatting.humanSize(Files.size(out)));
        } catch (IOException e) {
            throw new VecPersistCli.CliException(out + ": " + e.getMessage());
        }
    }

    /** Rejects an unknown format or codec, or a level out of range, before the input is read at all. */
    private void checkTarget(Plugins plugins) {
        plugins.format(format);
        CompressionCodec codec = plugins.codec(compression);
        if (level == null) {
            return;
        }
        if (codec == null) {
            throw new VecPersistCli.CliException("--level needs --compression (output compression is '" + compression + "')");
        }
        int[] range = codec.levelRange();
        if (level < range[0] || level > range[1]) {
            throw new VecPersistCli.CliException(codec.name() + " level must be " + range[0] + ".." + range[1] + ", was " + level);
        }
    }
}
