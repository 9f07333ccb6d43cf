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
        try (OrderedStage<Decoded> after = new OrderedStage<>("load", threaded,
                new Checking(file, header.dimension(), checksum, consumer))) {
            try {
                for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                    if (entries == header.entryCount()) {
                        throw new CorruptedStateException("the file holds more entries than the " + header.entryCount()
                                + " its header announces", file, null);
                    }
                    // summed here, while the vector the reader just wrote is in this core's cache: on
                    // the second thread the sum paid for bringing it over (29% of that thread's time)
                    after.submit(new Decoded(e, Similarity.sumOfSquares(e.vector())));
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

    /** An entry as decoded, with {@link Similarity#sumOfSquares} of its vector. */
    private record Decoded(VectorEntry entry, double sumOfSquares) {
    }

    /** What happens to each entry after decoding, in file order. */
    private static final class Checking implements java.util.function.Consumer<Decoded> {
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
        public void accept(Decoded decoded) {
            VectorEntry entry = decoded.entry();
            VectorEntry checked;
            // the sum the norm needs also tells whether every component is finite
            double sumOfSquares = decoded.sumOfSquares();
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
