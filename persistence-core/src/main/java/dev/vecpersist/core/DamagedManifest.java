package dev.vecpersist.core;

import dev.vecpersist.core.io.FileOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a manager does when {@code MANIFEST.json} exists but cannot be read: it cannot prove which
 * state files are superseded, so it deletes none of them. New saves continue above the highest
 * generation on disk, and the damaged manifest is renamed to {@code MANIFEST.json.corrupt-<time>}
 * (never deleted) when a new one is committed. While such a file is kept, no state file is ever
 * removed as a leftover; {@code vecpersist recover} rebuilds a manifest from the intact files.
 */
final class DamagedManifest {

    private static final Logger LOG = LoggerFactory.getLogger(DamagedManifest.class);
    /** The prefix of a damaged manifest kept aside. */
    static final String CORRUPT_PREFIX = Manifest.FILE_NAME + ".corrupt-";
    /** The prefix of an intact manifest that {@code recover} replaced, kept aside. */
    static final String REPLACED_PREFIX = Manifest.FILE_NAME + ".replaced-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern GENERATION = Pattern.compile("state-(\\d{10})(?:-delta-(\\d{6}))?\\..+");

    private DamagedManifest() {
    }

    /**
     * Renames the manifest of {@code dir} aside and fsyncs the directory.
     *
     * @param intact whether it is an intact manifest being replaced (rather than a damaged one)
     * @return the new name of the manifest
     */
    static Path moveAside(FileOps ops, Path dir, Instant now, boolean intact) throws IOException {
        Path damaged = dir.resolve(Manifest.FILE_NAME);
        String prefix = intact ? REPLACED_PREFIX : CORRUPT_PREFIX;
        Path aside = dir.resolve(prefix + STAMP.format(now));
        for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
            aside = dir.resolve(prefix + STAMP.format(now) + "-" + i);
        }
        ops.atomicMove(damaged, aside);
        ops.syncDirectory(dir);
        LOG.warn("kept the {} manifest as {}; no state file in {} will be removed as a leftover until it is "
                + "dealt with (vecpersist recover rebuilds a manifest from the intact states)", intact ? "replaced" : "unreadable",
                aside.getFileName(), dir);
        return aside;
    }

    /** Whether a damaged manifest is kept aside in {@code dir} (state files are then never removed as leftovers). */
    static boolean anyKeptAside(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Manifest.FILE_NAME + ".{corrupt,replaced}-*")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return true; // cannot tell: assume so, which only ever keeps files
        }
    }

    /** The highest generation of any state file in {@code dir}, 0 when there is none. */
    static long highestGenerationOnDisk(Path dir) throws IOException {
        long highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "state-*")) {
            for (Path f : files) {
                long g = generationOf(f.getFileName().toString());
                highest = Math.max(highest, g);
            }
        }
        return highest;
    }

    /** The generation in a state file's name, or -1 for another name. */
    static long generationOf(String name) {
        Matcher m = GENERATION.matcher(name);
        return m.matches() && Manifest.STATE_FILE.matcher(name).matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The delta number in a state file's name, 0 for a base, -1 for another name. */
    static int deltaOf(String name) {
        Matcher m = GENERATION.matcher(name);
        if (!m.matches() || !Manifest.STATE_FILE.matcher(name).matches()) {
            return -1;
        }
        return m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    }
}
