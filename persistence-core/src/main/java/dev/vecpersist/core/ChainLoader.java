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

    /** What was read, ready to replace the database with. */
    record Staged(Collection<VectorEntry> entries, byte[] indexState) {
        long applyTo(PersistableDatabase db) {
            return db.replaceAll(entries, indexState);
        }
    }

    ChainLoader(PersistableDatabase db, StateFileReader reader, PersistenceOptions options, Auditor audit) {
        this.db = db;
        this.reader = reader;
        this.options = options;
        this.audit = audit;
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
        progress.finish("loaded " + staged.entries().size() + " entries from " + file.getFileName());
    }

    /** Reads one full state file and upserts its entries into the database. */
    void merge(Path file, boolean verify, ProgressListener listener) {
        ProgressReporter progress = new ProgressReporter("import", 0, listener, options.batchSize());
        progress.start("import (merge) " + file.getFileName());
        Staged staged = stageFull(file, verify, progress);
        db.insertBatch(staged.entries());
        progress.finish("merged " + staged.entries().size() + " entries");
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
            Manifest.FileRef ref = files.get(i);
            Path file = dir.resolve(ref.file());
            ContainedFile.requireInside(dir, file);
            StateHeader.Kind kind = i == 0 ? StateHeader.Kind.FULL : StateHeader.Kind.DELTA;
            List<VectorEntry> upserts = new ArrayList<>();
            StateFileReader.Result result = reader.read(file, expect(kind), options.verifyChecksums(),
                    new StateFileReader.Consumer() {
                        @Override
                        public void header(StateHeader header) {
                            LoadBudget.check(header, file);
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
                    }, progress, options.scratchDir());
            upserts.forEach(e -> staged.put(e.id(), e));
            audit.read(file, result, ref.bytes());
            if (options.verifyChecksums() && !ref.checksum().equals(result.checksum())) {
                throw new CorruptedStateException("the manifest expects checksum " + ref.checksum() + " but the file holds "
                        + result.checksum() + " (a file from another save?)", file, null);
            }
        }
        return new Staged(staged.values(), indexState[0]);
    }

    /** Reads one full state file (no deletions allowed) with its index state. */
    Staged stageFull(Path file, boolean verify, ProgressReporter progress) {
        List<VectorEntry> staged = new ArrayList<>();
        byte[][] indexState = new byte[1][];
        StateFileReader.Result result = reader.read(file, expect(StateHeader.Kind.FULL), verify,
                new StateFileReader.Consumer() {
                    @Override
                    public void header(StateHeader header) {
                        LoadBudget.check(header, file);
                        indexState[0] = header.indexState();
                    }

                    @Override
                    public void entry(VectorEntry entry) {
                        staged.add(entry);
                    }

                    @Override
                    public void deletion(String id) {
                        throw new CorruptedStateException("a full state holds a deletion", file, null);
                    }
                }, progress, options.scratchDir());
        audit.read(file, result, sizeOf(file));
        return new Staged(staged, indexState[0]);
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
