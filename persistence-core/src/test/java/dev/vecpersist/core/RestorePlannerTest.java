package dev.vecpersist.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestorePlannerTest {

    private static KnownState known(String... pieces) {
        return new KnownState(List.of(pieces), "fp128:0:" + "0".repeat(32), 7);
    }

    @Test
    void theKnownStateItselfIsARevert() {
        RestorePlanner.Plan plan = RestorePlanner.plan(known("snapshot/a"), RestorePlanner.snapshot("a"));
        assertThat(plan.incremental()).isTrue();
        assertThat(plan.apply()).isEmpty();
        assertThat(plan.fromIndex()).isEqualTo(1);
    }

    @Test
    void aLaterStateOfTheSameLineageAppliesOnlyTheLaterPieces() {
        RestorePlanner.Plan plan = RestorePlanner.plan(known("chain/b", "chain/d1"),
                List.of("chain/b", "chain/d1", "chain/d2", "chain/d3"));
        assertThat(plan.incremental()).isTrue();
        assertThat(plan.apply()).containsExactly("chain/d2", "chain/d3");
        assertThat(plan.fromIndex()).isEqualTo(2);
    }

    @Test
    void anythingElseIsFull() {
        assertThat(RestorePlanner.plan(null, List.of("snapshot/a")).incremental()).isFalse();
        assertThat(RestorePlanner.plan(known("snapshot/a"), List.of("snapshot/b")).incremental()).isFalse();
        // an earlier state of the chain: its pieces do not start with the known ones
        assertThat(RestorePlanner.plan(known("chain/b", "chain/d1"), List.of("chain/b")).incremental()).isFalse();
        // another base, or a delta rewritten
        assertThat(RestorePlanner.plan(known("chain/b", "chain/d1"), List.of("chain/c", "chain/d1")).incremental()).isFalse();
        assertThat(RestorePlanner.plan(known("chain/b", "chain/d1"), List.of("chain/b", "chain/x", "chain/d2"))
                .reason()).contains("lineage");
    }

    @Test
    void committedPiecesNameEachFileByNameAndChecksum() {
        Manifest.FileRef base = new Manifest.FileRef("state-0000000001.json", "json", "none", "crc32c:00000001", 5, 0, 10);
        Manifest.FileRef delta = new Manifest.FileRef("state-0000000001-delta-000001.json", "json", "none",
                "crc32c:00000002", 1, 0, 3);
        Manifest m = new Manifest(1, base, List.of(delta));
        assertThat(RestorePlanner.committed(m)).containsExactly("chain/state-0000000001.json@crc32c:00000001",
                "chain/state-0000000001-delta-000001.json@crc32c:00000002");
        Manifest rewritten = new Manifest(1, base, List.of(new Manifest.FileRef(delta.file(), "json", "none",
                "crc32c:00000003", 1, 0, 3)));
        assertThat(RestorePlanner.plan(new KnownState(RestorePlanner.committed(m), "fp128:0:" + "0".repeat(32), 1),
                RestorePlanner.committed(rewritten)).incremental()).isFalse();
    }

    @Test
    void aDifferentialSnapshotIsItsPiecesByIdAndSha256() {
        dev.vecpersist.api.SnapshotPiece base = new dev.vecpersist.api.SnapshotPiece(
                "11111111-1111-1111-1111-111111111111", dev.vecpersist.api.SnapshotPiece.Kind.BASE, 5, 0, 10, "aa", "c1");
        dev.vecpersist.api.SnapshotPiece delta = new dev.vecpersist.api.SnapshotPiece(
                "22222222-2222-2222-2222-222222222222", dev.vecpersist.api.SnapshotPiece.Kind.DELTA, 1, 1, 3, "bb", "c2");
        List<String> first = RestorePlanner.pieces(List.of(base));
        List<String> second = RestorePlanner.pieces(List.of(base, delta));
        assertThat(second).containsExactly("piece/11111111-1111-1111-1111-111111111111@aa",
                "piece/22222222-2222-2222-2222-222222222222@bb");
        assertThat(RestorePlanner.isSnapshot(second)).isTrue();
        String fp = "fp128:0:" + "0".repeat(32);
        RestorePlanner.Plan later = RestorePlanner.plan(new KnownState(first, fp, 1), second);
        assertThat(later.incremental()).isTrue();
        assertThat(later.apply()).containsExactly(second.get(1));
        assertThat(later.fromIndex()).isEqualTo(1);
        assertThat(RestorePlanner.plan(new KnownState(second, fp, 1), first).incremental()).isFalse(); // older: full
        assertThat(RestorePlanner.plan(new KnownState(RestorePlanner.snapshot("s"), fp, 1), second).incremental())
                .isFalse();
    }
}
