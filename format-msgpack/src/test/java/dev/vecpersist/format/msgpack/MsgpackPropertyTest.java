package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.property.Gen;
import dev.vecpersist.testkit.property.Generators;
import dev.vecpersist.testkit.property.PropertyRunner;
import dev.vecpersist.testkit.property.ValueGenerators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random small states (full or delta, any dimension, ids in any well-formed Unicode, nested
 * metadata of every value type, arbitrary finite float bits, index states) round trip through a
 * file: equal header, entries bit for bit, deletions, and checksum.
 */
class MsgpackPropertyTest {

    @TempDir
    Path dir;

    /** A generated state. */
    record State(StateHeader header, List<VectorEntry> entries, List<String> deletions) {
    }

    @Test
    void randomStatesRoundTrip() {
        PropertyRunner.check("random msgpack states round-trip", 200, states(), this::roundTrips);
    }

    private void roundTrips(State state) throws IOException {
        Path f = Files.createTempFile(dir, "state", ".msgpack");
        Files.delete(f);
        String written = StateFiles.write(new MsgpackStateFormat(), f, state.header(), state.entries(), state.deletions());
        StateFiles.ReadState back = StateFiles.read(new MsgpackStateFormat(), f);
        assertThat(back.checksum()).isEqualTo(written);
        assertThat(back.header()).isEqualTo(state.header());
        assertThat(back.entries()).containsExactlyElementsOf(state.entries()); // vectors compared bit for bit
        assertThat(back.deletions()).containsExactlyElementsOf(state.deletions());
        Files.delete(f);
    }

    private static Gen<State> states() {
        Gen<List<String>> deletions = ValueGenerators.ids().list(0, 5);
        Gen<Metric> metrics = Generators.of(List.of(Metric.values()));
        Gen<Map<String, Object>> userMetadata = ValueGenerators.metadata(2);
        Gen<byte[]> index = Generators.bytes(64).orNull(0.5);
        Gen<Long> millis = Generators.longs(-62_135_596_800_000L, 253_402_300_799_999L);
        return Generators.integers(1, 12).flatMap(dimension -> {
            Gen<List<VectorEntry>> entries = ValueGenerators.entries(dimension).list(0, 12);
            return random -> {
                List<VectorEntry> es = entries.next(random);
                List<String> ds = deletions.next(random);
                Metric metric = metrics.next(random);
                Map<String, Object> user = userMetadata.next(random);
                byte[] idx = index.next(random);
                long created = millis.next(random);
                boolean delta = random.nextBoolean();
                List<String> dels = delta ? ds : List.of();
                StateHeader header = new StateHeader(MsgpackStateFormat.VERSION,
                        delta ? StateHeader.Kind.DELTA : StateHeader.Kind.FULL, dimension, metric, es.size(),
                        dels.size(), Instant.ofEpochMilli(created), user, idx);
                return new State(header, es, dels);
            };
        });
    }
}
