package dev.vecpersist.core;

import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.SnapshotStore;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.snapshot.FileSystemSnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Pruning a filesystem snapshot store with real files: dry runs, deletes, a delete failing midway. */
class SnapshotPrunerTest {

    /** Created oldest first, so the store lists them newest first: d3, d2b, d2a, d1, d0. */
    private static final String[][] CREATED = {
        {"d0", "2026-03-01T12:00:00Z"},
        {"d1", "2026-03-02T12:00:00Z"},
        {"d2a", "2026-03-03T08:00:00Z"},
        {"d2b", "2026-03-03T18:00:00Z"},
        {"d3", "2026-03-04T12:00:00Z"},
    };

    @TempDir
    Path dir;

    /** Creates the snapshots of {@link #CREATED} in order; returns name -> id. */
    private static Map<String, String> create(SnapshotStore store) throws IOException {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String[] c : CREATED) {
            try (SnapshotStore.Upload upload = store.begin()) {
                byte[] data = ("data of " + c[0]).getBytes(StandardCharsets.UTF_8);
                upload.data().write(data);
                upload.commit(new SnapshotMetadata(upload.id(), c[0], Instant.parse(c[1]), 1, 2, "json", "none",
                        data.length, "00", Map.of()));
                ids.put(c[0], upload.id());
            }
        }
        return ids;
    }

    private static List<String> names(List<SnapshotMetadata> snapshots) {
        return snapshots.stream().map(SnapshotMetadata::name).toList();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("snapshots"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static final RetentionPolicy TWO_DAYS = RetentionPolicy.builder().keepDaily(2).build();

    @Test
    void aDryRunDecidesButDeletesNoFile() throws IOException {
        FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir.resolve("snapshots"), FileOps.SYSTEM);
        create(store);
        List<String> before = files();

        RetentionDecision d = SnapshotPruner.prune(store, TWO_DAYS, true);

        assertThat(names(d.kept().stream().map(RetentionDecision.Kept::snapshot).toList())).containsExactly("d3", "d2b");
        assertThat(names(d.deleted().stream().map(RetentionDecision.Deleted::snapshot).toList()))
                .containsExactly("d2a", "d1", "d0");
        assertThat(files()).isEqualTo(before).hasSize(10);
        assertThat(names(store.list())).containsExactly("d3", "d2b", "d2a", "d1", "d0");
    }

    @Test
    void aPruneDeletesTheDataAndMetadataOfExactlyTheSnapshotsNotKept() throws IOException {
        FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir.resolve("snapshots"), FileOps.SYSTEM);
        Map<String, String> ids = create(store);

        RetentionDecision d = SnapshotPruner.prune(store, TWO_DAYS, false);

        assertThat(d.deletedIds()).containsExactly(ids.get("d2a"), ids.get("d1"), ids.get("d0"));
        assertThat(names(store.list())).containsExactly("d3", "d2b");
        assertThat(files()).containsExactlyInAnyOrder(ids.get("d3") + ".data", ids.get("d3") + ".meta.json",
                ids.get("d2b") + ".data", ids.get("d2b") + ".meta.json");
        assertThat(SnapshotPruner.prune(store, TWO_DAYS, false).deleted()).as("a second prune has nothing to do").isEmpty();
    }

    @Test
    void theSnapshotJustCreatedCountsAsTheNewestWhateverTheStoresOrder() throws IOException {
        FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir.resolve("snapshots"), FileOps.SYSTEM);
        Map<String, String> ids = create(store);

        RetentionDecision d = SnapshotPruner.prune(store, RetentionPolicy.keepLast(2), false, ids.get("d0"));

        assertThat(d.keptIds()).containsExactly(ids.get("d0"), ids.get("d3"));
        assertThat(names(store.list())).containsExactly("d3", "d0");
    }

    @Test
    void aDeleteFailingMidwayReportsWhatWasDeletedAndAPruneAgainFinishes() throws IOException {
        FaultyFileOps faulty = new FaultyFileOps();
        FileSystemSnapshotStore store = new FileSystemSnapshotStore(dir.resolve("snapshots"), faulty);
        Map<String, String> ids = create(store);
        // a delete removes the metadata, then the data: the 3rd delete call is the second snapshot's metadata
        faulty.failStep(FaultyFileOps.Step.DELETE, 3);

        SnapshotPruneException e = catchThrowableOfType(() -> SnapshotPruner.prune(store, TWO_DAYS, false),
                SnapshotPruneException.class);
        assertThat(e).as("the prune stopped with a report").isNotNull();

        assertThat(names(e.deleted())).containsExactly("d2a");
        assertThat(e.failed().name()).isEqualTo("d1");
        assertThat(names(e.notAttempted())).containsExactly("d0");
        assertThat(e.decision().deletedIds()).containsExactly(ids.get("d2a"), ids.get("d1"), ids.get("d0"));
        assertThat(e).hasMessage("pruning snapshots stopped: deleted 1 (" + ids.get("d2a") + "); deleting "
                + ids.get("d1") + " ('d1') failed: injected failure at DELETE; not attempted 1 (" + ids.get("d0") + ")");
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        assertThat(names(store.list())).as("only what the report says was deleted is gone").containsExactly("d3", "d2b", "d1", "d0");
        assertThat(files()).hasSize(8).doesNotContain(ids.get("d2a") + ".data", ids.get("d2a") + ".meta.json");

        faulty.heal();
        RetentionDecision again = SnapshotPruner.prune(store, TWO_DAYS, false);

        assertThat(again.deletedIds()).containsExactly(ids.get("d1"), ids.get("d0"));
        assertThat(names(store.list())).containsExactly("d3", "d2b");
        assertThat(files()).hasSize(4);
    }
}
