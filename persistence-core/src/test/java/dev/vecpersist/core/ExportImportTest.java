package dev.vecpersist.core;

import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.vecpersist.core.DbAssertions.assertSameContent;
import static dev.vecpersist.core.DbAssertions.contents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportImportTest {

    @TempDir
    Path dir;

    private DatabasePersistence manager(VectorDB db, String name) {
        return new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve(name)).build());
    }

    @Test
    void exportsInAnotherCodecAndImportsReplacingOrMerging() {
        VectorDB source = new VectorDB(4, Metric.COSINE);
        source.insertBatch(TestStates.entries(30, 4, 1));
        Path exported = dir.resolve("export.json.gz");
        try (DatabasePersistence p = manager(source, "a")) {
            assertThat(p.export(ExportOptions.to(exported).compression("gzip").build())).isEqualTo(exported);
        }

        VectorDB replaced = new VectorDB(4, Metric.COSINE);
        replaced.insert(new VectorEntry("other", new float[] {1, 1, 1, 1}));
        try (DatabasePersistence p = manager(replaced, "b")) {
            p.importFrom(ImportOptions.from(exported).build());
        }
        assertSameContent(replaced, contents(source));

        VectorDB merged = new VectorDB(4, Metric.COSINE);
        merged.insert(new VectorEntry("other", new float[] {1, 1, 1, 1}));
        merged.insert(new VectorEntry("vec-0", new float[] {9, 9, 9, 9}, Map.of("old", true)));
        try (DatabasePersistence p = manager(merged, "c")) {
            p.importFrom(ImportOptions.from(exported).mode(ImportOptions.Mode.MERGE).build());
        }
        assertThat(merged.size()).isEqualTo(31);
        assertThat(merged.get("other")).isPresent();
        assertThat(merged.get("vec-0").orElseThrow()).isEqualTo(source.get("vec-0").orElseThrow());
    }

    @Test
    void aMismatchIsIncompatibleBeforeAnythingChanges() {
        VectorDB source = new VectorDB(4, Metric.COSINE);
        source.insertBatch(TestStates.entries(3, 4, 2));
        Path exported = dir.resolve("x.json");
        try (DatabasePersistence p = manager(source, "a")) {
            p.export(ExportOptions.to(exported).build());
        }
        for (VectorDB target : List.of(new VectorDB(5, Metric.COSINE), new VectorDB(4, Metric.DOT))) {
            target.insert(new VectorEntry("keep", new float[target.dimension()]));
            for (ImportOptions.Mode mode : ImportOptions.Mode.values()) {
                try (DatabasePersistence p = manager(target, "t" + target.dimension() + target.metric())) {
                    assertThatThrownBy(() -> p.importFrom(ImportOptions.from(exported).mode(mode).build()))
                            .isInstanceOf(IncompatibleStateException.class);
                }
                assertThat(contents(target)).extracting(VectorEntry::id).containsExactly("keep");
            }
        }
    }

    @Test
    void exportCarriesIndexStateOnlyWhenAsked() {
        IndexedDatabase db = new IndexedDatabase(new byte[] {1, 2, 3});
        db.insertBatch(TestStates.entries(3, 2, 3));
        Path with = dir.resolve("with.json");
        Path without = dir.resolve("without.json");
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("i")).build())) {
            p.export(ExportOptions.to(with).build());
            p.export(ExportOptions.to(without).includeIndexState(false).build());
        }
        IndexedDatabase target = new IndexedDatabase(null);
        try (DatabasePersistence p = new DatabasePersistence(target, PersistenceOptions.builder().baseDir(dir.resolve("j")).build())) {
            p.importFrom(ImportOptions.from(without).build());
            assertThat(target.restored).isEmpty();
            p.importFrom(ImportOptions.from(with).build());
            assertThat(target.restored).singleElement().isEqualTo(new byte[] {1, 2, 3});
        }
    }

    /** A database with an index whose state is saved beside its entries. */
    static final class IndexedDatabase extends ForwardingDatabase {
        final byte[] state;
        final List<byte[]> restored = new ArrayList<>();

        IndexedDatabase(byte[] state) {
            super(new VectorDB(2, Metric.DOT));
            this.state = state;
        }

        @Override
        public java.util.Optional<byte[]> indexState() {
            return java.util.Optional.ofNullable(state);
        }

        @Override
        public void restoreIndexState(byte[] bytes) {
            restored.add(bytes);
        }
    }

    /** Delegates the required interface to a VectorDB (without its change tracking). */
    static class ForwardingDatabase implements dev.vecpersist.api.PersistableDatabase {
        final VectorDB inner;

        ForwardingDatabase(VectorDB inner) {
            this.inner = inner;
        }

        @Override public int dimension() { return inner.dimension(); }
        @Override public Metric metric() { return inner.metric(); }
        @Override public long size() { return inner.size(); }
        @Override public dev.vecpersist.api.EntrySnapshot snapshot() { return inner.snapshot(); }
        @Override public void clear() { inner.clear(); }
        @Override public void insertBatch(java.util.Collection<VectorEntry> entries) { inner.insertBatch(entries); }
    }
}
