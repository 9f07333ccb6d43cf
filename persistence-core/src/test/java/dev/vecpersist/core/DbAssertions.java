package dev.vecpersist.core;

import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.VectorEntry;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares databases entry by entry (ids, vectors bit for bit, metadata with types). */
final class DbAssertions {

    private DbAssertions() {
    }

    static List<VectorEntry> contents(PersistableDatabase db) {
        List<VectorEntry> out = new ArrayList<>();
        db.snapshot().forEach(out::add);
        return out;
    }

    static void assertSameContent(PersistableDatabase actual, List<VectorEntry> expected) {
        assertThat(contents(actual)).containsExactlyElementsOf(expected);
    }
}
