package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.ProgressListener;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads states into the database, all or nothing: a committed chain (the base, then each delta
 * replayed over it) or one full state file is read, checked and staged completely, and only then
 * replaces the database in one step. Takes no lock and writes, deletes or cleans nothing, so that it
 * can read a directory another manager owns; serialising loads is the caller's business.
 */
final class ChainLoader {

    private final PersistableDatabase db;
    private final StateFileReader reader;
    private final PersistenceOptions options;
    private final Auditor audit;
    /** Where compressed file-based formats are decompressed to before reading. */
    private final Path scratchDir;

    /**
     * What was read, ready to replace the database with; {@code stored}, when not null, is the
     * entries' stored form for a {@link VectorDB} (norms and id map built as they arrived), and
     * {@code received} how many entries the files held.
     */
    record Staged(Collection<VectorEntry> entries, LinkedHashMap<String, TrackedEntries.Stored> stored,
                  byte[] indexState, int received) {
        long applyTo(PersistableDatabase db) {
            if (stored != null && db instanceof VectorDB vectors) {
                return vectors.replaceStaged(stored);
            }
            return db.replaceAll(entries, indexState);
        }
    }

    ChainLoader(PersistableDatabase db, StateFileReader reader, PersistenceOptions options, Auditor audit) {
        this(db, reader, options, audit, options.scratchDir());
    }

    ChainLoader(PersistableDatabase db, StateFileReader reader, PersistenceOptions options, Auditor audit,
                Path scratchDir) {
        this.db = db;
        this.reader = reader;
        this.options = options;
        this.audit = audit;
        this.scratchDir = scratchDir;
    }

    /** Replays the chain {@code m} of {@code dir} and replaces the database with it; returns its new change sequence. */
    long loadChain(Path dir, Manifest m, ProgressListener listener) {
        long total = m.base().entries();
        for (Manifest.FileRef d : m.deltas()) {
            total += d.entries();
        }
        ProgressReporter progress = new ProgressReporter("load", total, listener, options.batchSize());
        progress.start("loading " + m.base().file() + " and " + m.deltas().size() + " deltas");
        Staged staged = stageChain(dir, m, progress);
        long sequence = staged.applyTo(db);
        progress.finish("loaded " + staged.entries().size() + " entries");
        return sequence;
    }

    /** Reads one full state file and replaces the database with it. */
    void loadFull(Path file, boolean verify, ProgressListener listener, String operation) {
        ProgressReporter progress = new ProgressReporter(operation, 0, listener, options.batchSize());
        progress.start(operation + " " + file.getFileName());
        Staged staged = stageFull(file, verify, progress);
        staged.applyTo(db);
        progress.finish("loaded " + staged.received() + " entries from " + file.getFileName());
    }

    /** Reads one full state file and upserts its entries into the database. */
    void merge(Path file, boolean verify, ProgressListener listener) {
        ProgressReporter progress = new ProgressReporter("import", 0, listener, options.batchSize());
        progress.start("import (merge) " + file.getFileName());
        Staged staged = stageFull(file, verify, progress);
        db.insertBatch(staged.entries());
        progress.finish("merged " + staged.received() + " entries");
    }

    /**
     * Reads the base and deltas {@code m} lists in {@code dir}, in order, and checks each against the
     * checksum {@code m} expects; a delta's deletions apply before its upserts (a re-inserted id moves
     * to the end, as it did live).
     */
    Staged stageChain(Path dir, Manifest m, ProgressReporter progress) {
        LinkedHashMap<String, VectorEntry> staged = new LinkedHashMap<>();
        byte[][] indexState = new byte[1][];
        List<Manifest.FileRef> files = new ArrayList<>();
        files.add(m.base());
        files.addAll(m.deltas());
        for (int i = 0; i < files.size(); i++) {
            StateHeader.Kind kind = i == 0 ? StateHeader.Kind.FULL : StateHeader.Kind.DELTA;
            List<VectorEntry> upserts = new ArrayList<>();
            readChainFile(dir, files.get(i), kind, progress, new StateFileReader.Consumer() {
                @Override
                public void header(StateHeader header) {
                    byte[] index = header.indexState();
                    if (index != null) {
                        indexState[0] = index;
                    }
                }

                @Override
                public void entry(VectorEntry entry) {
                    if (kind == StateHeader.Kind.FULL) {
                        staged.put(entry.id(), entry);
                    } else {
                        upserts.add(entry);
                    }
                }

                @Override
                public void deletion(String id) {
                    staged.remove(id);
                }
            });
            upserts.forEach(e -> staged.put(e.id(), e));
        }
        return new Staged(staged.values(), null, indexState[0], staged.size());
    }

    /** What deltas change, folded into one batch: deletions apply first, then upserts (as {@link dev.vecpersist.api.ChangeApplying} does). */
    record Changes(Collection<VectorEntry> upserts, Collection<String> deletions) {
    }

    /**
     * Reads {@code deltas} of {@code dir}, in order, each checked against its manifest checksum, and
     * folds them into one batch that leaves a database holding the chain before them where replaying
     * them one by one would.
     */
    Changes stageDeltas(Path dir, List<Manifest.FileRef> deltas, ProgressReporter progress) {
        LinkedHashMap<String, VectorEntry> upserts = new LinkedHashMap<>();
        LinkedHashSet<String> deletions = new LinkedHashSet<>();
        for (Manifest.FileRef ref : deltas) {
            List<VectorEntry> fileUpserts = new ArrayList<>();
            readChainFile(dir, ref, StateHeader.Kind.DELTA, progress, new StateFileReader.Consumer() {
                @Override
                public void header(StateHeader header) {
                }

                @Override
                public void entry(VectorEntry entry) {
                    fileUpserts.add(entry);
                }

                @Override
                public void deletion(String id) {
                    // a pending upsert re-inserted after this deletion must move to the end: drop it here
                    upserts.remove(id);
                    deletions.add(id);
                }
            });
            fileUpserts.forEach(e -> upserts.put(e.id(), e));
        }
        return new Changes(upserts.values(), deletions);
    }

    /** Reads one file of a chain into {@code consumer} and checks it holds the checksum the manifest expects. */
    private void readChainFile(Path dir, Manifest.FileRef ref, StateHeader.Kind kind, ProgressReporter progress,
                               StateFileReader.Consumer consumer) {
        Path file = dir.resolve(ref.file());
        ContainedFile.requireInside(dir, file);
        StateFileReader.Result result = reader.read(file, expect(kind), options.verifyChecksums(),
                new StateFileReader.Consumer() {
                    @Override
                    public void header(StateHeader header) {
                        LoadBudget.check(header, file);
                        consumer.header(header);
                    }

                    @Override
                    public void entry(VectorEntry entry) {
                        consumer.entry(entry);
                    }

                    @Override
                    public void entry(VectorEntry entry, float norm) {
                        consumer.entry(entry, norm);
                    }

                    @Override
                    public void deletion(String id) {
                        consumer.deletion(id);
                    }
                }, progress, scratchDir);
        audit.read(file, result, ref.bytes());
        if (options.verifyChecksums() && !ref.checksum().equals(result.checksum())) {
            throw new CorruptedStateException("the manifest expects checksum " + ref.checksum() + " but the file holds "
                    + result.checksum() + " (a file from another save?)", file, null);
        }
    }

    /** Reads one full state file (no deletions allowed) with its index state. */
    Staged stageFull(Path file, boolean verify, ProgressReporter progress) {
        FullStateStaging staging = new FullStateStaging(db, file);
        StateFileReader.Result result = reader.read(file, expect(StateHeader.Kind.FULL), verify, staging, progress,
                scratchDir);
        audit.read(file, result, sizeOf(file));
        return staging.staged();
    }

    private StateFileReader.Expectation expect(StateHeader.Kind kind) {
        return new StateFileReader.Expectation(db.dimension(), db.metric(), kind);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
