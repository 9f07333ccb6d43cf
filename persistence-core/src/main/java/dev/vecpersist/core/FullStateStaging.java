package dev.vecpersist.core;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.TrackedEntries.Stored;

import java.nio.file.Path;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Collects a full state's entries, which arrive checked and normalised, for an all-or-nothing
 * apply. For a {@link VectorDB} each entry is put in its stored form as it arrives (its norm, which
 * the check computed in the pass that proved its components finite, its id mapped and its position
 * given, see {@link TrackedEntries#stage}), which {@link LoadPipeline} does on its second thread
 * while the file is still being decoded, so that replacing the database's content is one swap; for any other database the entries are kept in a list for
 * {@link PersistableDatabase#replaceAll}. One call at a time (see {@link StateFileReader.Consumer}).
 */
final class FullStateStaging implements StateFileReader.Consumer {

    private final Path file;
    private final boolean stored;
    private LinkedHashMap<String, Stored> byId;
    private final List<VectorEntry> list;
    private byte[] indexState;
    private int received;

    /**
     * @param db   the database the state is for
     * @param file the state file, named in errors
     */
    FullStateStaging(PersistableDatabase db, Path file) {
        this.file = file;
        this.stored = db instanceof VectorDB;
        this.list = stored ? null : new ArrayList<>();
    }

    @Override
    public void header(StateHeader header) {
        LoadBudget.check(header, file);
        indexState = header.indexState();
        if (stored) {
            // sized from the header's count, which LoadBudget has just weighed against the free heap
            byId = new LinkedHashMap<>((int) Math.max(16, Math.min(1 << 30, header.entryCount() * 4 / 3 + 1)));
        }
    }

    @Override
    public void entry(VectorEntry entry) {
        entry(entry, byId != null ? Similarity.norm(entry.vector()) : 0);
    }

    @Override
    public void entry(VectorEntry entry, float norm) {
        received++;
        if (byId != null) {
            TrackedEntries.stage(byId, entry, norm);
        } else {
            list.add(entry);
        }
    }

    @Override
    public void deletion(String id) {
        throw new CorruptedStateException("a full state holds a deletion", file, null);
    }

    /** {@return what was read, ready to replace a database's content with} */
    ChainLoader.Staged staged() {
        if (byId == null) {
            return new ChainLoader.Staged(list, null, indexState, received);
        }
        return new ChainLoader.Staged(new EntriesOf(byId), byId, indexState, received);
    }

    /** The staged entries, read through the stored forms (for a merge, or another database). */
    private static final class EntriesOf extends AbstractCollection<VectorEntry> {
        private final LinkedHashMap<String, Stored> byId;

        EntriesOf(LinkedHashMap<String, Stored> byId) {
            this.byId = byId;
        }

        @Override
        public Iterator<VectorEntry> iterator() {
            Iterator<Stored> stored = byId.values().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return stored.hasNext();
                }

                @Override
                public VectorEntry next() {
                    return stored.next().entry();
                }
            };
        }

        @Override
        public int size() {
            return byId.size();
        }
    }
}
