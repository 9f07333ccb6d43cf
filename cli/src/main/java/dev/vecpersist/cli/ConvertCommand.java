package dev.vecpersist.cli;

import dev.vecpersist.api.LevelRange;
import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateConverter;
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
        EncryptionKeys writeKeys = decrypt ? null : keys;
        StateConverter.Converted done;
        try (ProgressDisplay progress = ProgressDisplay.on(console)) {
            done = new StateConverter(Plugins.discover(), keys, writeKeys).convert(in, out, format, compression, level,
                    progress);
        }
        try {
            console.printf("converted %d entries: %s -> %s (%s/%s%s, %s); header and content checksum %s kept%n",
                    done.entries(), in, out, format, compression,
                    writeKeys == null ? "" : ", encrypted with key '" + writeKeys.primaryId() + "'",
                    Formatting.humanSize(Files.size(out)), done.checksum());
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
        LevelRange range = codec.levelRange();
        if (!range.contains(level)) {
            throw new VecPersistCli.CliException(codec.name() + " level must be " + range + ", was " + level);
        }
    }
}
