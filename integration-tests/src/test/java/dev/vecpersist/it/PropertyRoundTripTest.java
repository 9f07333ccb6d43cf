package dev.vecpersist.it;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.property.Gen;
import dev.vecpersist.testkit.property.Generators;
import dev.vecpersist.testkit.property.PropertyRunner;
import dev.vecpersist.testkit.property.ValueGenerators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random databases through every format: ids in any Unicode, empty and nested metadata of every
 * value type, extreme floats (subnormals, -0.0, max values) — loaded back identical.
 */
class PropertyRoundTripTest {

    private static final int DIMENSION = 6;

    @TempDir
    Path dir;

    /** A database's entries and the format and codec to save it with. */
    record Case(List<VectorEntry> entries, String format, String codec) {
    }

    @Test
    void everyFormatRoundTripsRandomDatabases() {
        Gen<List<VectorEntry>> databases = ValueGenerators.entries(DIMENSION).uniqueList(0, 25, VectorEntry::id);
        List<List<String>> all = new ArrayList<>();
        Matrix.formatsAndCodecs().forEach(a -> all.add(List.of((String) a.get()[0], (String) a.get()[1])));
        Gen<List<String>> formatAndCodec = Generators.of(all);
        Gen<Case> cases = random -> {
            List<String> fc = formatAndCodec.next(random);
            return new Case(databases.next(random), fc.get(0), fc.get(1));
        };
        PropertyRunner.check("every format round-trips random databases", 40, cases, this::roundTrips);
    }

    private void roundTrips(Case c) {
        VectorDB db = new VectorDB(DIMENSION, Metric.COSINE);
        db.insertBatch(c.entries());
        Path file = dir.resolve("state-" + System.nanoTime());
        try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("b"))
                .format(c.format()).compression(c.codec()).build())) {
            p.save(file);
            VectorDB fresh = new VectorDB(DIMENSION, Metric.COSINE);
            try (DatabasePersistence q = new DatabasePersistence(fresh,
                    PersistenceOptions.builder().baseDir(dir.resolve("c")).build())) {
                q.load(file);
            }
            assertThat(AllFormatsAndCodecsTest.contents(fresh)).containsExactlyElementsOf(AllFormatsAndCodecsTest.contents(db));
        }
    }
}
