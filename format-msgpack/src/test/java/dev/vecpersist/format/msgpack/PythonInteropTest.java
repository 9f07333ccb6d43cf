package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's promise: Python's msgpack reads our files as a plain sequence of objects, vectors
 * bit for bit. Skipped where no python3 with the msgpack module is installed
 * ({@code apt-get install python3-msgpack}).
 */
class PythonInteropTest {

    /** The README's reader, printing what it read in a form Java can compare exactly. */
    private static final String SCRIPT = String.join("\n",
            "import msgpack, struct, sys",
            "with open(sys.argv[1], 'rb') as f:",
            "    objects = msgpack.Unpacker(f, raw=False)",
            "    assert next(objects) == 'VECPERSIST'",
            "    header = next(objects)",
            "    print(header['kind'], header['dimension'], header['metric'], header['entryCount'], header['deletionCount'],",
            "          header['createdAt'], header['userMetadata']['owner'], header['indexState'].hex())",
            "    dim = header['dimension']",
            "    for _ in range(header['entryCount']):",
            "        id_, vector, metadata = next(objects)",
            "        assert len(vector) == 4 * dim",
            "        bits = struct.unpack('<%dI' % dim, vector)",
            "        floats = struct.unpack('<%df' % dim, vector)",
            "        assert all(struct.unpack('<I', struct.pack('<f', x))[0] == b for x, b in zip(floats, bits))",
            "        print(id_.encode('utf-8').hex(), ' '.join('%08x' % b for b in bits), metadata['index'], metadata['category'])",
            "    for _ in range(header['deletionCount']):",
            "        print('deleted', next(objects).encode('utf-8').hex())",
            "    print(next(objects)['checksum'])",
            "    try:",
            "        next(objects)",
            "        print('unexpected content after the trailer')",
            "    except StopIteration:",
            "        pass",
            "");

    @TempDir
    Path dir;

    /** A python3 that has msgpack: the one on the PATH, or Debian's. */
    private static String pythonWithMsgpack() {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import msgpack").redirectErrorStream(true).start();
                if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
                p.destroyForcibly();
            } catch (Exception e) {
                // not there: try the next one
            }
        }
        return null;
    }

    @Test
    void pythonsMsgpackReadsHeaderIdsVectorsMetadataAndDeletions() throws Exception {
        String python = pythonWithMsgpack();
        assumeTrue(python != null, "python3 with the msgpack module is not installed (apt-get install python3-msgpack)");
        int dimension = 5;
        List<VectorEntry> entries = new ArrayList<>(TestStates.entries(6, dimension, 1));
        entries.add(new VectorEntry("日本 \uD83D\uDE80", new float[] {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1e-40f, 1},
                Map.of("index", 6L, "category", "Ω")));
        List<String> deletions = List.of("gone", "\uD834\uDD1E");
        StateHeader header = new StateHeader(1, StateHeader.Kind.DELTA, dimension, Metric.EUCLIDEAN, entries.size(),
                deletions.size(), Instant.ofEpochMilli(1_700_000_000_123L), Map.of("owner", "tests"), new byte[] {1, (byte) 0xfe});
        Path file = dir.resolve("state.msgpack");
        String checksum = StateFiles.write(new MsgpackStateFormat(), file, header, entries, deletions);
        Path script = dir.resolve("read.py");
        Files.writeString(script, SCRIPT);

        Process p = new ProcessBuilder(python, script.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        HexFormat hex = HexFormat.of();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("delta 5 euclidean 7 2 1700000000123 tests 01fe");
        for (int i = 0; i < entries.size(); i++) {
            VectorEntry e = entries.get(i);
            StringBuilder expected = new StringBuilder(hex.formatHex(e.id().getBytes(StandardCharsets.UTF_8)));
            for (float f : e.vector()) {
                expected.append(' ').append(String.format("%08x", Float.floatToRawIntBits(f)));
            }
            expected.append(' ').append(e.metadata().get("index")).append(' ').append(e.metadata().get("category"));
            assertThat(lines.get(1 + i)).as("entry %d", i).isEqualTo(expected.toString());
        }
        for (int i = 0; i < deletions.size(); i++) {
            assertThat(lines.get(1 + entries.size() + i))
                    .isEqualTo("deleted " + hex.formatHex(deletions.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(lines.subList(1 + entries.size() + deletions.size(), lines.size())).containsExactly(checksum);
    }
}
