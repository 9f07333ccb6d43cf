package dev.vecpersist.core;

import dev.vecpersist.api.ContentChecksum;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The entries of one state file, from the format's reader to the consumer, on two threads: the
 * caller's decodes (the format's reader, so the file is read, and interrupted, where it always
 * was) while a second thread, in file order, checks each entry against {@link EntryRules}
 * (normalising its metadata in the same walk), adds it to the checksum and hands it to the
 * consumer. When decoding fails at some entry, the entries before it are still checked, so the
 * first problem in file order is the one reported, as when one thread does it all.
 *
 * <p>One thread does it all for a few entries ({@link OrderedStage#worthAThread}), and for a reader
 * that already decodes ahead on a thread of its own ({@link StateReader#readsAhead()}): a third
 * busy thread on two cores measured slower.
 */
final class LoadPipeline {

    /**
     * Whether loads may use the second thread: a switch for A/B measurements, set by a harness
     * ({@code LoadPipelineMeasurement}) or, for a whole JVM (a JMH fork), by
     * {@code -Dvecpersist.loadPipeline=false}.
     */
    static volatile boolean enabled = !"false".equals(System.getProperty("vecpersist.loadPipeline"));

    private LoadPipeline() {
    }

    /**
     * Reads every entry of the reader into the consumer, each checked, normalised and added to the
     * checksum; on return (or throw) no entry reaches the consumer any more.
     *
     * @param file     names the file in errors
     * @param checksum the checksum to add the entries to, or null when not verifying
     * @return how many entries the file holds
     * @throws CorruptedStateException naming the entry, for an entry that breaks {@link EntryRules} or
     *                                 one more than the header announces
     * @throws IOException             what the reader throws
     */
    static long readEntries(Path file, StateReader reader, StateHeader header, ContentChecksum checksum,
                            StateFileReader.Consumer consumer, ProgressReporter progress) throws IOException {
        boolean threaded = enabled && !reader.readsAhead() && OrderedStage.worthAThread(header.entryCount());
        long entries = 0;
        try (OrderedStage<VectorEntry> after = new OrderedStage<>("load", threaded,
                new Checking(file, header.dimension(), checksum, consumer))) {
            try {
                for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                    if (entries == header.entryCount()) {
                        throw new CorruptedStateException("the file holds more entries than the " + header.entryCount()
                                + " its header announces", file, null);
                    }
                    after.submit(e);
                    entries++;
                    progress.advance();
                }
            } catch (IOException | RuntimeException later) {
                after.finish(); // a problem of an entry before this one is thrown first
                throw later;
            }
            after.finish();
        }
        return entries;
    }

    /** What happens to each entry after decoding, in file order. */
    private static final class Checking implements java.util.function.Consumer<VectorEntry> {
        private final Path file;
        private final int dimension;
        private final ContentChecksum checksum;
        private final StateFileReader.Consumer consumer;
        private long index;

        Checking(Path file, int dimension, ContentChecksum checksum, StateFileReader.Consumer consumer) {
            this.file = file;
            this.dimension = dimension;
            this.checksum = checksum;
            this.consumer = consumer;
        }

        @Override
        public void accept(VectorEntry entry) {
            VectorEntry checked;
            // the sum the norm needs also tells whether every component is finite. Summed here, not
            // on the decoding thread: that thread is the load's longer one, and the checksum below
            // reads the vector on this thread anyway (one-JVM A/B, 10K x 384 msgpack, alternating
            // rounds: 0.92-0.96x the load's wall time, faster in 71-88 of 120 paired rounds)
            double sumOfSquares = Similarity.sumOfSquares(entry.vector());
            try {
                // checked and its metadata normalised in one walk: the database adopts it as it is
                checked = EntryRules.normalized(entry, dimension, sumOfSquares);
            } catch (IllegalArgumentException problem) {
                throw new CorruptedStateException("entry " + index + ": " + problem.getMessage(), file, null);
            }
            index++;
            if (checksum != null) {
                checksum.addEntry(checked);
            }
            consumer.entry(checked, (float) Math.sqrt(sumOfSquares));
        }
    }
}
