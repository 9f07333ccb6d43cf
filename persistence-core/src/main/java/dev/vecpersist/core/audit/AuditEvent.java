package dev.vecpersist.core.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one operation did, gathered while it runs and appended to the audit log when it ends:
 * the files it wrote or read, entry and deletion counts, bytes, content checksum, and the outcome.
 * Not thread-safe: one operation, one thread.
 */
public final class AuditEvent {

    private String operation;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final List<String> files = new ArrayList<>();
    private long entries;
    private long deletions;
    private long bytes;
    private String checksum;
    private final Map<String, Object> details = new LinkedHashMap<>();

    /**
     * Starts an event.
     *
     * @param operation e.g. {@code "save"}
     */
    public AuditEvent(String operation) {
        this.operation = operation;
    }

    /**
     * Records a file the operation wrote or read.
     *
     * @param file      the file's name or path
     * @param entries   entries it holds
     * @param deletions deletions it holds
     * @param bytes     its size
     * @param checksum  its content checksum, or null
     */
    public void file(String file, long entries, long deletions, long bytes, String checksum) {
        files.add(file);
        this.entries += entries;
        this.deletions += deletions;
        this.bytes += bytes;
        this.checksum = checksum == null ? this.checksum : checksum;
    }

    /**
     * Adds a detail, e.g. a snapshot id.
     *
     * @param key   its name
     * @param value a string, number or boolean
     */
    public void detail(String key, Object value) {
        details.put(key, value);
    }

    /**
     * Renames the operation (a saveIncremental that compacted becomes "compaction").
     *
     * @param name the new name
     */
    public void rename(String name) {
        operation = name;
    }

    /** {@return the operation's name} */
    public String operation() {
        return operation;
    }

    Instant start() {
        return start;
    }

    long durationMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    List<String> files() {
        return files;
    }

    long entries() {
        return entries;
    }

    long deletions() {
        return deletions;
    }

    long bytes() {
        return bytes;
    }

    String checksum() {
        return checksum;
    }

    Map<String, Object> details() {
        return details;
    }
}
