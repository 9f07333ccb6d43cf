package dev.vecpersist.core;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.StateWriter;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Hands a save's entries to the format's writer, each one checked against {@link EntryRules} and
 * added to the content checksum, in file order. With {@link #threaded} the checks and the checksum
 * run on a second thread (an {@link OrderedStage}) while this one encodes: the two passes over each
 * vector then overlap instead of adding up. Either way the result is the same: the same bytes, the
 * same checksum, and an entry the rules refuse fails the save with the same message (the rules'
 * verdict on an entry comes first even when the writer choked on it), before anything is committed.
 */
final class SaveEntries {

    /** Entries per hand-over to the checking thread. */
    static final int BATCH = 256;
    /** Fewer entries than this are saved on one thread: starting one costs more than it saves. */
    private static final long THREADED_FROM = 2 * BATCH;

    private final Path target;
    private final int dimension;
    private final ContentChecksum checksum;

    /**
     * @param target    names the file in errors
     * @param dimension the state's dimension
     * @param checksum  receives every entry, in order
     */
    SaveEntries(Path target, int dimension, ContentChecksum checksum) {
        this.target = target;
        this.dimension = dimension;
        this.checksum = checksum;
    }

    /** {@return the entry count from which a save is worth a second thread on this machine} */
    static long pipelineFrom() {
        return Runtime.getRuntime().availableProcessors() > 1 ? THREADED_FROM : Long.MAX_VALUE;
    }

    /**
     * Writes every entry.
     *
     * @param threaded whether to check and checksum on a second thread
     * @return how many entries were written
     * @throws PersistenceException naming the entry, for the first entry that breaks {@link EntryRules}
     * @throws IOException          what the writer throws
     */
    long write(StateWriter writer, Iterable<VectorEntry> entries, ProgressReporter progress, boolean threaded)
            throws IOException {
        Checker checker = new Checker();
        if (!threaded) {
            long written = 0;
            for (VectorEntry e : entries) {
                checker.accept(e);
                writer.writeEntry(e);
                written++;
                progress.advance();
            }
            return written;
        }
        long written = 0;
        try (OrderedStage<VectorEntry> stage = new OrderedStage<>("save-check", true, BATCH, checker)) {
            try {
                for (VectorEntry e : entries) {
                    stage.submit(e); // before the writer sees it: a verdict on it is then always at hand
                    writer.writeEntry(e);
                    written++;
                    progress.advance();
                }
            } catch (IOException | RuntimeException | Error writerFailure) {
                try {
                    stage.finish(); // the rules' verdict on this entry or an earlier one comes first, as on one thread
                } catch (RuntimeException | Error verdict) {
                    if (verdict != writerFailure) { // the same when the verdict surfaced at a hand-over
                        verdict.addSuppressed(writerFailure);
                    }
                    throw verdict;
                }
                throw writerFailure;
            }
            stage.finish();
        }
        return written;
    }

    /** Checks one entry and adds it to the checksum; the entries come in file order. */
    private final class Checker implements Consumer<VectorEntry> {
        private long index;

        @Override
        public void accept(VectorEntry entry) {
            // what a reader would refuse is never written: the save fails before any rename
            String problem = EntryRules.problem(entry, dimension);
            if (problem != null) {
                throw new PersistenceException("cannot save entry " + index + ": " + problem, target, null);
            }
            checksum.addEntry(entry);
            index++;
        }
    }
}
