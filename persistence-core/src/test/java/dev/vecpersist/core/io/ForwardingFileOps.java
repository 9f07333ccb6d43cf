package dev.vecpersist.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The real file system ({@link FileOps#SYSTEM}), for tests to extend: a test overrides only the
 * operations it records, counts or fails, and every other one goes to the real file system.
 */
public class ForwardingFileOps implements FileOps {

    @Override
    public WritableFile create(Path file) throws IOException {
        return SYSTEM.create(file);
    }

    @Override
    public InputStream open(Path file) throws IOException {
        return SYSTEM.open(file);
    }

    @Override
    public void sync(Path file) throws IOException {
        SYSTEM.sync(file);
    }

    @Override
    public void atomicMove(Path from, Path to) throws IOException {
        SYSTEM.atomicMove(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        SYSTEM.syncDirectory(dir);
    }

    @Override
    public void createDirectory(Path dir) throws IOException {
        SYSTEM.createDirectory(dir);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        SYSTEM.deleteIfExists(file);
    }
}
