package dev.vecpersist.cli;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.ManifestRecovery;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.StateInspector;
import dev.vecpersist.core.crypto.EncryptionKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vecpersist recover DIR}: lists the intact states and rebuilds a damaged manifest from the newest. */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"List the intact state files of a base directory and rebuild its manifest from the newest "
                + "intact chain (a full state and the unbroken run of deltas after it).",
                "Takes the directory's lock (refused while an application owns the directory); deletes nothing: "
                        + "a damaged manifest is kept as MANIFEST.json.corrupt-<time>."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:a manifest was rebuilt (or, with --dry-run, could be)", "1:nothing to rebuild from, or it failed"})
final class RecoverCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A base directory.")
    Path dir;

    @Option(names = "--generation", paramLabel = "N",
            description = "Rebuild from this generation's chain, even over an intact manifest (which is kept as "
                    + "MANIFEST.json.replaced-<time>). Default: the newest intact chain, only when the manifest is damaged.")
    long generation;

    @Option(names = "--dry-run", description = "Only list the states and the chain that would be used.")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    KeyOptions keyOptions = new KeyOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(dir)) {
            throw new VecPersistCli.CliException(dir + ": no such directory");
        }
        ManifestRecovery recovery = new ManifestRecovery(Plugins.discover(), keyOptions.keys());
        List<ManifestRecovery.Candidate> candidates = recovery.scan(dir);
        for (ManifestRecovery.Candidate c : candidates) {
            if (c.intact()) {
                out.printf("intact   %s  (generation %d, %s, %s/%s, %d entries)%n", c.file().getFileName(), c.generation(),
                        c.report().header().kind().name().toLowerCase(Locale.ROOT), c.report().format(),
                        c.report().compression(), c.report().header().entryCount());
            } else {
                out.printf("damaged  %s%n", c.problem());
            }
        }
        List<ManifestRecovery.Candidate> chain = recovery.intactChain(candidates, generation);
        if (chain.isEmpty()) {
            out.printf("no intact full state %sin %s: nothing to rebuild a manifest from%n",
                    generation > 0 ? "of generation " + generation + " " : "", dir);
            return VecPersistCli.FAILED;
        }
        out.printf("intact chain: %s and %d delta(s)%n", chain.get(0).file().getFileName(), chain.size() - 1);
        if (dryRun) {
            return 0;
        }
        List<Path> files = recovery.rebuild(dir, generation);
        out.printf("rebuilt %s listing %s and %d delta(s); the previous manifest, if any, is kept as "
                + "MANIFEST.json.corrupt-<time> or .replaced-<time>: no state file is removed as a leftover while "
                + "it is there%n",
                dir.resolve("MANIFEST.json"), files.get(0).getFileName(), files.size() - 1);
        return 0;
    }

    /** For {@code verify DIR}: when the manifest is damaged, names the newest intact chain and the way back. */
    static void hintIfManifestDamaged(Path dir, PrintWriter out, EncryptionKeys keys) {
        if (!Files.exists(dir.resolve("MANIFEST.json"), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            new StateInspector(Plugins.discover(), keys).committedFiles(dir);
        } catch (PersistenceException e) {
            ManifestRecovery recovery = new ManifestRecovery(Plugins.discover(), keys);
            List<ManifestRecovery.Candidate> chain = recovery.newestIntactChain(recovery.scan(dir));
            if (chain.isEmpty()) {
                out.printf("the manifest is damaged and no intact full state is left%n");
            } else {
                out.printf("the manifest is damaged; newest intact state: %s and %d delta(s); 'vecpersist recover %s' "
                        + "rebuilds the manifest from it%n", chain.get(0).file().getFileName(), chain.size() - 1, dir);
            }
        }
    }
}
