package dev.vecpersist.api;

import java.nio.file.Path;

/**
 * A reader of a directory another process is writing could not read one committed state: each time
 * it read the manifest, the files it listed were replaced or deleted (by compaction) before it could
 * read them. Nothing is wrong with the directory; retrying later, or less often, succeeds.
 */
public class DirectoryChangingException extends PersistenceException {

    /** How many times the committed state was attempted. */
    private final int attempts;

    /**
     * @param directory the directory read
     * @param attempts  how many times the manifest was read and its chain attempted
     * @param last      the failure of the last attempt
     */
    public DirectoryChangingException(Path directory, int attempts, Throwable last) {
        super("the directory changed under each of " + attempts + " attempts to read its committed state "
                + "(a writer commits and compacts faster than it can be read); last: "
                + (last == null ? "none" : last.getMessage()), directory, last);
        this.attempts = attempts;
    }

    /** {@return how many times the committed state was attempted} */
    public int attempts() {
        return attempts;
    }
}
