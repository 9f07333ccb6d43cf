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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README's promise: Python's msgpack reads our files. Skipped where python3-msgpack is absent. */
class PythonInteropTest {

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
            } catch (Exception e) {
                // try the next one
            }
        }
        return null;
    }

    @Test
    void pythonsMsgpackReadsIdsVectorsAndMetadata() throws Exception {
        String python = pythonWithMsgpack();
        assumeTrue(python != null, "python3 with the msgpack module is not installed (apt install python3-msgpack)");
        List<VectorEntry> entries = TestStates.entries(5, 3, 1);
        Path file = dir.resolve("state.msgpack");
        StateFiles.write(new MsgpackStateFormat(), file,
                StateHeader.full(1, 3, Metric.COSINE, entries.size(), Instant.ofEpochMilli(5)), entries, List.of());
        Path script = dir.resolve("read.py");
        Files.writeString(script, String.join("\n",
                "import msgpack, struct, sys",
                "with open(sys.argv[1], 'rb') as f:",
                "    objects = msgpack.Unpacker(f, raw=False)",
                "    assert next(objects) == 'VECPERSIST'",
                "    header = next(objects)",
                "    for _ in range(header['entryCount']):",
                "        id_, vector, metadata = next(objects)",
                "        v = struct.unpack('<%df' % header['dimension'], vector)",
                "        print(id_, ' '.join(repr(x) for x in v), metadata['category'], metadata['index'])",
                "    print(next(objects)['checksum'])", ""));
        Process p = new ProcessBuilder(python, script.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.split("\n");
        for (int i = 0; i < entries.size(); i++) {
            String[] cols = lines[i].split(" ");
            assertThat(cols[0]).isEqualTo(entries.get(i).id());
            for (int d = 0; d < 3; d++) {
                assertThat((float) Double.parseDouble(cols[1 + d])).isEqualTo(entries.get(i).vector()[d]);
            }
            assertThat(cols[4]).isEqualTo(entries.get(i).metadata().get("category"));
        }
        assertThat(lines[entries.size()]).startsWith("crc32c:");
    }
}
