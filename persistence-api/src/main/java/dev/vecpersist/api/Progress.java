package dev.vecpersist.api;

/**
 * One progress report of a long operation.
 *
 * @param operation  what is running, e.g. {@code "save"}, {@code "load"}, {@code "snapshot"}
 * @param percentage 0 to 100; never decreases within one operation and ends at 100
 * @param current    entries processed so far
 * @param total      entries in all (0 when the operation has no entries)
 * @param message    a short human-readable status
 */
public record Progress(String operation, double percentage, long current, long total, String message) {
}
