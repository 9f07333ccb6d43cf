package dev.vecpersist.core;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.core.StateFileReader.ChecksumStatus;
import dev.vecpersist.core.StateFileReader.Consumer;
import dev.vecpersist.core.StateFileReader.Expectation;
import dev.vecpersist.core.StateFileReader.Result;
import dev.vecpersist.core.json.ReferenceChecksum;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Drains an open {@link StateReader} into a {@link Consumer}, trusting nothing the format returns:
 * the header must meet the caller's {@link Expectation}, every entry and deleted id must pass
 * {@link EntryRules}, the counts must be the header's, and the stored checksum must equal the one
 * recomputed over what was returned. Every breach is a {@link CorruptedStateException} (or an
 * {@link IncompatibleStateException} for a dimension or metric the caller cannot take) naming the file.
 * Thread-safe (stateless between calls).
 */
final class StateReadVerifier {

    private final StateFileContent content;

    /** @param content reopens a reference-module file for its second, SHA-256 pass */
    StateReadVerifier(StateFileContent content) {
        this.content = content;
    }

    Result readAll(Path file, ContentDetector.Encoding encoding, StateReader reader, Expectation expected,
                   boolean verify, Consumer consumer, ProgressReporter progress, String keyId) throws IOException {
        StateHeader header = reader.header();
        check(file, header, expected);
        consumer.header(header);
        progress.total(header.entryCount());
        ContentChecksum checksum = verify ? new ContentChecksum(header) : null;
        // decoded on this thread, checked, checksummed and handed on on a second one (see LoadPipeline)
        long entries = LoadPipeline.readEntries(file, reader, header, checksum, consumer, progress);
        long deletions = 0;
        for (String id = reader.nextDeletion(); id != null; id = reader.nextDeletion()) {
            if (deletions == header.deletionCount()) {
                throw new CorruptedStateException("the file holds more deletions than the " + header.deletionCount()
                        + " its header announces", file, null);
            }
            String problem = EntryRules.deletedIdProblem(id);
            if (problem != null) {
                throw new CorruptedStateException("deletion " + deletions + ": " + problem, file, null);
            }
            if (checksum != null) {
                checksum.addDeletion(id);
            }
            consumer.deletion(id);
            deletions++;
        }
        String stored = reader.storedChecksum();
        ChecksumStatus status = ChecksumStatus.NOT_CHECKED;
        if (checksum != null) {
            status = verifyChecksum(file, encoding, header, stored, checksum.value());
        }
        if (entries != header.entryCount() || deletions != header.deletionCount()) {
            throw new CorruptedStateException("the header announces " + header.entryCount() + " entries and "
                    + header.deletionCount() + " deletions, the file holds " + entries + " and " + deletions, file, null);
        }
        return new Result(header, encoding, stored, status, keyId);
    }

    private ChecksumStatus verifyChecksum(Path file, ContentDetector.Encoding encoding, StateHeader header, String stored,
                                          String computed) throws IOException {
        if (stored != null && stored.startsWith(ContentChecksum.PREFIX)) {
            if (!stored.equals(computed)) {
                throw new CorruptedStateException("checksum mismatch: the file says " + stored
                        + ", its content gives " + computed, file, null);
            }
            return ChecksumStatus.VERIFIED;
        }
        if (header.formatVersion() == 1 && stored != null && stored.matches("[0-9a-f]{64}")
                && !encoding.format().needsFile()) {
            // a second pass over the file: the reference module hashed JSON.stringify of the whole state object
            String sha;
            try (InputStream raw = content.openRaw(file);
                 InputStream decoded = encoding.codec() == null ? raw : encoding.codec().decompress(raw)) {
                sha = ReferenceChecksum.sha256Hex(decoded);
            }
            if (!sha.equals(stored)) {
                throw new CorruptedStateException("checksum mismatch: the file says SHA-256 " + stored
                        + ", JSON.stringify of its content gives " + sha, file, null);
            }
            return ChecksumStatus.VERIFIED_REFERENCE_SHA256;
        }
        throw new CorruptedStateException(stored == null ? "the file carries no checksum"
                : "unrecognised checksum '" + stored + "'", file, null);
    }

    private static void check(Path file, StateHeader header, Expectation expected) {
        if (expected.dimension() != null && header.dimension() != expected.dimension()) {
            throw new IncompatibleStateException("the file holds vectors of dimension " + header.dimension()
                    + ", the database has dimension " + expected.dimension(), file, null);
        }
        if (expected.metric() != null && header.metric() != expected.metric()) {
            throw new IncompatibleStateException("the file was saved with metric " + header.metric().fileName()
                    + ", the database uses " + expected.metric().fileName(), file, null);
        }
        if (expected.kind() != null && header.kind() != expected.kind()) {
            throw new CorruptedStateException("expected a " + expected.kind().name().toLowerCase(Locale.ROOT)
                    + " state, found a " + header.kind().name().toLowerCase(Locale.ROOT) + " state", file, null);
        }
    }
}
