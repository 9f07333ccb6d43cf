package dev.vecpersist.core.snapshot;

import dev.vecpersist.api.SnapshotIds;
import dev.vecpersist.api.UnreadableSnapshot;
import dev.vecpersist.json.SnapshotMetadataJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The snapshot metadata documents ({@code ID.meta.json}) of a store's directory: those read, and those
 * that could not be used, each with its reason. A document is unusable when it cannot be read or
 * parsed (damaged, truncated, of an unknown version, an I/O error), names another id, or its
 * snapshot's data file is missing. Names that are not issued ids are not the store's and are passed over.
 *
 * @param stored     the documents read, in directory order
 * @param unreadable the documents that could not be used
 */
record MetadataScan(List<SnapshotMetadataJson.Stored> stored, List<UnreadableSnapshot> unreadable) {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataScan.class);

    /**
     * Reads every metadata document of {@code dir}.
     *
     * @param meta    the suffix of metadata files
     * @param data    the suffix of data files, to name a missing one
     * @param hasData whether the snapshot of an id has its data file
     */
    static MetadataScan of(Path dir, String meta, String data, Predicate<String> hasData) throws IOException {
        MetadataScan scan = new MetadataScan(new ArrayList<>(), new ArrayList<>());
        if (!Files.isDirectory(dir)) {
            return scan;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + meta)) {
            for (Path file : files) {
                String id = file.getFileName().toString().replace(meta, "");
                if (!SnapshotIds.isWellFormed(id)) {
                    continue;
                }
                if (!hasData.test(id)) {
                    scan.unusable(id, file, "its data file " + id + data + " is missing");
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    SnapshotMetadataJson.Stored stored = SnapshotMetadataJson.readStored(in);
                    if (id.equals(stored.metadata().id())) {
                        scan.stored.add(stored);
                    } else {
                        scan.unusable(id, file, "it names id " + stored.metadata().id());
                    }
                } catch (IOException e) {
                    scan.unusable(id, file, String.valueOf(e.getMessage()));
                }
            }
        }
        return scan;
    }

    private void unusable(String id, Path file, String reason) {
        LOG.warn("ignoring unreadable snapshot metadata {}: {}", file, reason);
        unreadable.add(new UnreadableSnapshot(id, file.toString(), reason));
    }
}
