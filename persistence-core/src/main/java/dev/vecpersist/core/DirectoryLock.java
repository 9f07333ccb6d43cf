package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The lock that makes one manager the owner of a base directory, against other managers in this
 * JVM and in other processes.
 *
 * <p>POSIX {@code fcntl} locks belong to the process and are dropped when <em>any</em> descriptor
 * of the file closes, so a refused manager that opened and closed its own channel to the lock file
 * would silently release the owner's lock. As Lucene's {@code NativeFSLockFactory} does, the
 * canonical path is first claimed in a JVM-wide registry; only the claimant ever opens a channel
 * to the lock file, and a manager refused by the registry never touches it.
 */
public final class DirectoryLock implements AutoCloseable {

    /** The lock file's name inside a base directory. */
    public static final String FILE_NAME = ".vecpersist.lock";

    /** Canonical lock-file paths held by this JVM. */
    private static final Set<String> HELD = new HashSet<>();

    private final String key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private DirectoryLock(String key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of an existing directory.
     *
     * @param dir the base directory (must exist)
     * @return the held lock; {@link #close()} releases it
     * @throws PersistenceException when the directory is locked by this or another process, or the
     *                              lock file cannot be created
     */
    public static DirectoryLock acquire(Path dir) {
        Path file;
        try {
            file = dir.toRealPath().resolve(FILE_NAME);
        } catch (IOException e) {
            throw new PersistenceException("cannot use base directory: " + e.getMessage(), dir, e);
        }
        String key = file.toString();
        if (!claim(key)) {
            throw inUse(dir, "in this JVM");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                // no other channel of this JVM is open on the file (the registry), so closing ours is safe
                channel.close();
                unclaim(key);
                throw inUse(dir, "by another process");
            }
            return new DirectoryLock(key, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            unclaim(key);
            throw new PersistenceException("cannot lock base directory: " + e.getMessage(), dir, e);
        }
    }

    /**
     * Tells whether this JVM holds the lock of a directory.
     *
     * @param dir the base directory
     * @return true when a manager (or a lock holder) of this JVM owns it
     */
    public static boolean isHeldInThisJvm(Path dir) {
        try {
            String key = dir.toRealPath().resolve(FILE_NAME).toString();
            synchronized (HELD) {
                return HELD.contains(key);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Releases the lock; closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        } finally {
            closeQuietly(channel);
            unclaim(key);
        }
    }

    private static boolean claim(String key) {
        synchronized (HELD) {
            return HELD.add(key);
        }
    }

    private static void unclaim(String key) {
        synchronized (HELD) {
            HELD.remove(key);
        }
    }

    private static PersistenceException inUse(Path dir, String where) {
        return new PersistenceException("base directory is in use by another DatabasePersistence (" + where + ")", dir, null);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
