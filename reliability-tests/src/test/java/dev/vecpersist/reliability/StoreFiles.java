package dev.vecpersist.reliability;

import dev.vecpersist.core.io.AtomicFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a filesystem snapshot store ({@code ID.data} and {@code ID.meta.json}), sorted by
 * what they amount to: complete snapshots, data without metadata, metadata without data, temporary files.
 */
record StoreFiles(Set<String> complete, Set<String> dataWithoutMetadata, Set<String> metadataWithoutData,
                  Set<String> temporary) {

    private static final String DATA = ".data";
    private static final String META = ".meta.json";

    static StoreFiles scan(Path store) {
        Set<String> data = new TreeSet<>();
        Set<String> meta = new TreeSet<>();
        Set<String> temporary = new TreeSet<>();
        if (Files.isDirectory(store)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(store)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (AtomicFile.isTemp(f)) {
                        temporary.add(name);
                    } else if (name.endsWith(META)) {
                        meta.add(name.substring(0, name.length() - META.length()));
                    } else if (name.endsWith(DATA)) {
                        data.add(name.substring(0, name.length() - DATA.length()));
                    } else {
                        throw new AssertionError("unexpected file in the snapshot store: " + f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> complete = new TreeSet<>(data);
        complete.retainAll(meta);
        Set<String> dataOnly = new TreeSet<>(data);
        dataOnly.removeAll(meta);
        Set<String> metaOnly = new TreeSet<>(meta);
        metaOnly.removeAll(data);
        return new StoreFiles(complete, dataOnly, metaOnly, temporary);
    }
}
