package dev.vecpersist.cli;

import dev.vecpersist.api.Metric;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.HistoryPolicy;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.core.VersionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vecpersist history DIR} and {@code vecpersist restore DIR --version N | --as-of TIME} (issue 20). */
class HistoryCliTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    /** Three versions one hour apart (full, delta, delta), in gzip JSON; returns each version's content. */
    private List<VectorDB> threeVersions() {
        List<VectorDB> states = new ArrayList<>();
        VectorDB db = Databases.random(40, 4, 7);
        Random random = new Random(3);
        for (int i = 0; i < 3; i++) {
            PersistenceOptions options = PersistenceOptions.builder().baseDir(dir).format("json").compression("gzip")
                    .history(HistoryPolicy.keepLast(10)).clock(Clock.fixed(T0.plus(Duration.ofHours(i)), ZoneOffset.UTC))
                    .build();
            try (DatabasePersistence p = new DatabasePersistence(db, options)) {
                if (i == 0) {
                    p.save();
                } else {
                    p.load();
                    db.insert(Databases.entry(random, "added-" + i, 4, 100 + i));
                    db.delete("vec-" + i);
                    p.saveIncremental();
                }
            }
            VectorDB copy = new VectorDB(4, Metric.COSINE);
            copy.insertBatch(dev.vecpersist.testkit.Fingerprints.sorted(db));
            states.add(copy);
        }
        return states;
    }

    private VectorDB latest() {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir)
                .history(HistoryPolicy.keepLast(10)).build())) {
            p.load();
        }
        return db;
    }

    @Test
    void historyListsTheRetainedVersions() {
        threeVersions();
        CliTest.Result r = CliTest.run("history", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("VERSION").contains("COMMITTED").contains("3 version(s)");
        assertThat(r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+2026-12-01T.*")).toList()).hasSize(3);
        assertThat(r.out()).containsPattern("1\\s+2026-12-01T08:00:00(\\.000)?Z\\s+full\\s+40\\s+0")
                .containsPattern("3\\s+2026-12-01T10:00:00(\\.000)?Z\\s+delta\\s+1\\s+1");
    }

    @Test
    void restoreByNumberCommitsTheVersionAsANewOneAndKeepsTheOthers() {
        List<VectorDB> states = threeVersions();
        CliTest.Result r = CliTest.run("restore", dir.toString(), "--version", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("restored version 1 (40 entries) as version 4");
        assertThat(Databases.sameContent(sorted(latest()), states.get(0))).isTrue();
        CliTest.Result history = CliTest.run("history", dir.toString());
        assertThat(history.out()).contains("4 version(s)").contains("restore");
    }

    @Test
    void restoreAsOfPicksTheNewestVersionAtOrBeforeTheTime() {
        List<VectorDB> states = threeVersions();
        CliTest.Result r = CliTest.run("restore", dir.toString(), "--as-of", "2026-12-01T10:59:59+01:00");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("restored version 2");   // 09:59:59Z: version 2 (09:00Z)
        assertThat(Databases.sameContent(sorted(latest()), states.get(1))).isTrue();
    }

    @Test
    void unknownVersionsAndBadTimesAreOneLineErrors() {
        threeVersions();
        CliTest.Result unknown = CliTest.run("restore", dir.toString(), "--version", "9");
        assertThat(unknown.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(unknown.err()).contains("version 9 is not retained").contains("versions 1");
        CliTest.Result early = CliTest.run("restore", dir.toString(), "--as-of", "2026-12-01T07:00:00Z");
        assertThat(early.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(early.err()).contains("no retained version was committed at or before 2026-12-01T07:00:00Z");
        CliTest.Result bad = CliTest.run("restore", dir.toString(), "--as-of", "yesterday");
        assertThat(bad.code()).isEqualTo(VecPersistCli.FAILED);
        assertThat(bad.err()).contains("not an ISO-8601");
        CliTest.Result both = CliTest.run("restore", dir.toString(), "--version", "1", "--as-of", "2026-12-01T09:00:00Z");
        assertThat(both.code()).isEqualTo(VecPersistCli.USAGE);
        CliTest.Result help = CliTest.run("restore", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("committed again as a NEW");
        // nothing was committed by the failures
        try (DatabasePersistence p = DatabasePersistence.openReadOnly(new VectorDB(4, Metric.COSINE),
                PersistenceOptions.builder().baseDir(dir).build())) {
            assertThat(p.listVersions()).extracting(VersionInfo::number).containsExactly(1L, 2L, 3L);
        }
    }

    private static VectorDB sorted(VectorDB db) {
        VectorDB copy = new VectorDB(4, Metric.COSINE);
        copy.insertBatch(dev.vecpersist.testkit.Fingerprints.sorted(db));
        return copy;
    }
}
