package dev.vecpersist.cli;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.Formatting;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** {@code vecpersist inspect FILE}: what a state file is and holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a state file's format, codec, header, checksum status and first entries.")
final class InspectCommand implements Runnable {

    private static final String REFERENCE = "VERIFIED_REFERENCE_SHA256";

    @Parameters(paramLabel = "FILE", description = "A state file (format and codec are detected from its content).")
    Path file;

    @Option(names = {"-n", "--entries"}, defaultValue = "3", description = "How many leading entries to show (default ${DEFAULT-VALUE}).")
    int entries;

    @picocli.CommandLine.Mixin
    KeyOptions keyOptions = new KeyOptions();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        StateInspector.Report r = new StateInspector(Plugins.discover(), keyOptions.keys()).inspect(file, entries);
        PrintWriter out = spec.commandLine().getOut();
        StateHeader h = r.header();
        out.printf("file:           %s%n", r.file());
        out.printf("size:           %s (%d bytes)%n", Formatting.humanSize(r.fileSize()), r.fileSize());
        out.printf("format:         %s (layout version %d)%n", r.format(), h.formatVersion());
        out.printf("compression:    %s%n", r.compression());
        out.printf("encryption:     %s%n", r.keyId() == null ? "none" : "AES-256-GCM streaming, key '" + r.keyId() + "'");
        out.printf("kind:           %s%n", h.kind().name().toLowerCase(Locale.ROOT));
        out.printf("dimension:      %d%n", h.dimension());
        out.printf("metric:         %s%n", h.metric().fileName());
        out.printf("entries:        %d%n", h.entryCount());
        if (h.kind() == StateHeader.Kind.DELTA) {
            out.printf("deletions:      %d%n", h.deletionCount());
        }
        out.printf("created:        %s%n", created(r));
        out.printf("index state:    %s%n", h.indexState() == null ? "none" : h.indexState().length + " bytes");
        out.printf("checksum:       %s (%s)%n", r.checksum(), describe(r.checksumState()));
        for (VectorEntry e : r.firstEntries()) {
            out.printf("  %s  %s  %s%n", e.id(), head(e.vector()), e.metadata());
        }
    }

    /** A reference-module file records its time after the vectors, where the header parser does not read. */
    private static String created(StateInspector.Report r) {
        boolean unrecorded = REFERENCE.equals(r.checksumState()) && r.header().createdAt().equals(Instant.EPOCH);
        return unrecorded ? "unknown (a reference-module file)" : Formatting.isoTimestamp(r.header().createdAt());
    }

    private static String describe(String state) {
        return switch (state) {
            case "VERIFIED" -> "verified";
            case "VERIFIED_REFERENCE_SHA256" -> "reference-module file: SHA-256 of JSON.stringify recomputed, verified";
            default -> state.toLowerCase(Locale.ROOT);
        };
    }

    private static String head(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(3, v.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return sb.append(v.length > 3 ? ", ... (" + v.length + " dims)]" : "]").toString();
    }
}
