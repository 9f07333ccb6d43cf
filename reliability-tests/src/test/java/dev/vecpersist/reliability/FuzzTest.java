package dev.vecpersist.reliability;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.VectorDB;
import dev.vecpersist.testkit.TestStates;
import dev.vecpersist.testkit.property.Gen;
import dev.vecpersist.testkit.property.Generators;
import dev.vecpersist.testkit.property.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mutation fuzzer on every reader: valid files of every format and codec, mutated by random
 * byte changes, insertions, deletions and splices. Each either loads the original data or is
 * reported as CorruptedStateException, within 10 s.
 */
class FuzzTest {

    private static final Map<String, byte[]> VALID = new HashMap<>();
    private static List<VectorEntry> original;
    private static Path dir;

    private static synchronized byte[] valid(String formatAndCodec) {
        return VALID.computeIfAbsent(formatAndCodec, key -> {
            try {
                if (dir == null) {
                    dir = Files.createTempDirectory("vecpersist-fuzz");
                }
                VectorDB db = new VectorDB(4, Metric.COSINE);
                db.insertBatch(TestStates.mixedMetadataEntries(12, 4, 3));
                original = Trials.contents(db);
                String[] parts = key.split("\\+");
                Path file = dir.resolve("valid-" + key);
                try (DatabasePersistence p = new DatabasePersistence(db, PersistenceOptions.builder().baseDir(dir.resolve("w"))
                        .format(parts[0]).compression(parts[1]).build())) {
                    p.save(file);
                }
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One change to a file: the kind (flip, insert, delete, splice), where, and a byte value 1..255. */
    record Mutation(int kind, int position, int value) {
    }

    /** A valid file of one format and codec, and the changes made to it. */
    record Mutant(String plugin, List<Mutation> mutations) {
    }

    private static Gen<String> plugins() {
        List<String> all = new java.util.ArrayList<>();
        for (var f : Plugins.discover().formats()) {
            all.add(f.name() + "+none");
            for (var c : Plugins.discover().codecs()) {
                all.add(f.name() + "+" + c.name());
            }
        }
        return Generators.of(all);
    }

    private static Gen<List<Mutation>> mutations() {
        Gen<Integer> kinds = Generators.integers(0, 3);
        Gen<Integer> positions = Generators.integers(0, Integer.MAX_VALUE);
        Gen<Integer> values = Generators.integers(1, 255);
        Gen<Mutation> one = random -> new Mutation(kinds.next(random), positions.next(random), values.next(random));
        return one.list(1, 4);
    }

    @Test
    void mutatedFilesLoadIdenticallyOrAreCorrupt() {
        Gen<String> plugins = plugins();
        Gen<List<Mutation>> mutations = mutations();
        PropertyRunner.check("mutated files load identically or are corrupt", 300,
                random -> new Mutant(plugins.next(random), mutations.next(random)), FuzzTest::loadsOrIsCorrupt);
    }

    private static void loadsOrIsCorrupt(Mutant mutant) throws IOException {
        String plugin = mutant.plugin();
        byte[] bytes = valid(plugin);
        for (Mutation m : mutant.mutations()) {
            int at = bytes.length == 0 ? 0 : m.position() % bytes.length;
            bytes = switch (m.kind()) {
                case 0 -> { byte[] b = bytes.clone(); if (b.length > 0) b[at] ^= (byte) m.value(); yield b; }
                case 1 -> insert(bytes, at, (byte) m.value());
                case 2 -> delete(bytes, at, Math.min(m.value(), bytes.length - at));
                default -> splice(bytes, at);
            };
        }
        Path file = Files.createTempFile(dir, "mutant", "");
        Files.write(file, bytes);
        Trials.Outcome outcome = Trials.loadWithin10s(file, 4, Metric.COSINE, dir.resolve("scratch"));
        if (outcome.failure() == null) {
            assertThat(outcome.loaded()).containsExactlyElementsOf(original);
        } else if (outcome.failure() instanceof IncompatibleStateException && !codecChecksumsContent(plugin)) {
            // a changed header field (layout version, dimension, metric) in content that no checksum
            // vouches for before the header is read is indistinguishable from a file that says so
            assertThat(outcome.failure()).hasMessageContaining(file.toString());
        } else {
            assertThat(outcome.failure()).as(plugin).isInstanceOf(CorruptedStateException.class);
        }
        Files.delete(file);
    }

    /** Whether the plugin's codec checks its content (gzip's CRC-32, the LZ4 frame's xxHash32), so damage is provable. */
    private static boolean codecChecksumsContent(String plugin) {
        return plugin.endsWith("+gzip") || plugin.endsWith("+lz4");
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    /** Repeats a slice of the file (duplicated records, overlapping writes). */
    private static byte[] splice(byte[] b, int at) {
        int n = Math.min(64, b.length - at);
        byte[] out = new byte[b.length + n];
        System.arraycopy(b, 0, out, 0, at + n);
        System.arraycopy(b, at, out, at + n, b.length - at);
        return out;
    }
}
