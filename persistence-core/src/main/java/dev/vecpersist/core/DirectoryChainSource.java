package dev.vecpersist.core;

import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.io.FileOps;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A base directory another manager writes, read in place: nothing is fetched, nothing written. */
final class DirectoryChainSource implements ChainSource {

    private final Path dir;
    private final FileOps ops;
    private final Encryption encryption;

    DirectoryChainSource(Path dir, FileOps ops, Encryption encryption) {
        this.dir = dir;
        this.ops = ops;
        this.encryption = encryption;
    }

    @Override
    public Optional<Manifest> readManifest() {
        Path file = dir.resolve(Manifest.FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(Manifest.read(ops, file, encryption, false));
    }

    @Override
    public Path fetch(Manifest m, List<Manifest.FileRef> files) {
        return dir;
    }

    @Override
    public void applied(Manifest m) {
    }

    @Override
    public Path where() {
        return dir;
    }

    @Override
    public String describe() {
        return dir.toString();
    }
}
