package dev.vecpersist.core;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.io.FileOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A chain a writer publishes to a {@link ChainStore}, read through a local cache directory that the
 * follower owns: the manifest object is read at every step, and only the files the cache does not
 * hold yet are downloaded (each into a temporary file, its size checked against the manifest, then
 * renamed into place; the loader then checks its content checksum against the manifest). Files no
 * version held any more needs are removed from the cache after each switch. The cache is emptied of
 * state files when the follower opens, so it never trusts what another run left.
 */
final class RemoteChainSource implements ChainSource {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteChainSource.class);
    private static final String DOWNLOAD_PREFIX = ".download-";

    private final ChainStore store;
    private final Path cache;
    private final FileOps ops;
    private final Encryption encryption;

    RemoteChainSource(ChainStore store, Path cache, FileOps ops, Encryption encryption) {
        this.store = store;
        this.cache = cache;
        this.ops = ops;
        this.encryption = encryption;
        clear();
    }

    @Override
    public Optional<Manifest> readManifest() {
        Optional<byte[]> bytes;
        try {
            bytes = store.readManifest();
        } catch (IOException e) {
            throw new PersistenceException("reading the manifest of " + store.describe() + " failed: " + e.getMessage(),
                    cache, e);
        }
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Path file = cache.resolve(Manifest.FILE_NAME);
        try {
            Path tmp = Files.createTempFile(cache, DOWNLOAD_PREFIX, ".tmp");
            Files.write(tmp, bytes.get());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PersistenceException("cannot keep the manifest of " + store.describe() + " in the cache: "
                    + e.getMessage(), file, e);
        }
        return Optional.of(Manifest.read(ops, file, encryption, false));
    }

    @Override
    public Path fetch(Manifest m, List<Manifest.FileRef> files) {
        for (Manifest.FileRef ref : files) {
            Path local = cache.resolve(ref.file());
            ContainedFile.requireInside(cache, local);
            if (!cached(local, ref)) {
                download(ref, local);
            }
        }
        return cache;
    }

    private static boolean cached(Path local, Manifest.FileRef ref) {
        try {
            return Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS) && Files.size(local) == ref.bytes();
        } catch (IOException e) {
            return false;
        }
    }

    private void download(Manifest.FileRef ref, Path local) {
        Path tmp = null;
        try {
            Optional<InputStream> found = store.open(ref.file());
            if (found.isEmpty()) {
                throw new PersistenceException("the manifest lists " + ref.file() + " but " + store.describe()
                        + " has no such object (deleted after a compaction?)", local, null);
            }
            tmp = Files.createTempFile(cache, DOWNLOAD_PREFIX, ".tmp");
            long copied;
            try (InputStream in = found.get()) {
                copied = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (copied != ref.bytes()) {
                throw new PersistenceException("downloaded " + copied + " bytes of " + ref.file() + " from "
                        + store.describe() + " but the manifest says " + ref.bytes(), local, null);
            }
            Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new PersistenceException("downloading " + ref.file() + " from " + store.describe() + " failed: "
                    + e.getMessage(), local, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    @Override
    public void applied(Manifest m) {
        Set<String> needed = new HashSet<>(m.fileNames());
        for (Path f : stateFiles()) {
            if (!needed.contains(f.getFileName().toString())) {
                deleteQuietly(f);
            }
        }
    }

    /** Removes state files and downloads another run left: they are fetched again when needed. */
    private void clear() {
        for (Path f : stateFiles()) {
            deleteQuietly(f);
        }
    }

    private List<Path> stateFiles() {
        List<Path> found = new java.util.ArrayList<>();
        if (!Files.isDirectory(cache)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cache)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Manifest.STATE_FILE.matcher(name).matches() || name.startsWith(DOWNLOAD_PREFIX)) {
                    found.add(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not scan the replica cache {}: {}", cache, e.getMessage());
        }
        return found;
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", f, e.getMessage());
        }
    }

    @Override
    public Path where() {
        return cache;
    }

    @Override
    public String describe() {
        return store.describe();
    }
}
