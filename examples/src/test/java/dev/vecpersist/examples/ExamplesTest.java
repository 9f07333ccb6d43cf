package dev.vecpersist.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every example and checks that it prints what it claims, so none can rot. */
class ExamplesTest {

    @TempDir
    Path dir;

    interface Main {
        void run(String[] args) throws Exception;
    }

    private static synchronized String run(Main main, String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    @Test
    void basicSaveLoad() throws Exception {
        String out = run(BasicSaveLoad::main, dir.toString());
        assertThat(out).containsPattern("saved 1000 vectors to state-0000000001\\.json\\.gz \\(\\d+ bytes\\)")
                .contains("loaded 1000 vectors").contains("search results identical");
    }

    @Test
    void snapshotManagement() throws Exception {
        String out = run(SnapshotManagement::main, dir.toString());
        assertThat(out).contains("created before-update with 500 vectors").contains("now 501 vectors")
                .contains("restored before-update: 500 vectors, doc-0 back: true, doc-new present: false")
                .contains("3 snapshots (newest first)")
                .containsPattern("(?s)  hourly-3  503 vectors  \\d+ bytes  msgpack\\+lz4\\R"
                        + "  hourly-2  502 vectors  .*\\R  hourly-1  501 vectors  ")
                .doesNotContain("  before-update")
                .contains("retention removed before-update: true")
                .contains("deleted hourly-1; 2 snapshots left");
    }

    @Test
    void exportImport() throws Exception {
        String out = run(ExportImport::main, dir.toString());
        for (String format : new String[] {"json", "msgpack", "sqlite"}) {
            for (String codec : new String[] {"none", "gzip", "lz4", "brotli"}) {
                assertThat(out).containsPattern(format + "\\s+\\+ " + codec + "\\s+\\d+ bytes -> imported 300 vectors");
            }
        }
        assertThat(out).contains("merged 300 exported vectors into a database of 100: 400 vectors");
    }

    @Test
    void autoSaveAndIncremental() throws Exception {
        String out = run(AutoSaveAndIncremental::main, dir.toString());
        assertThat(out).containsPattern("base:  state-0000000001\\.msgpack \\d+ bytes")
                .containsPattern("round 1: state-0000000001-delta-000001\\.msgpack \\d+ bytes, committed files: 2")
                .containsPattern("round 3: state-0000000001-delta-000003\\.msgpack \\d+ bytes, committed files: 4")
                .containsPattern("round 4: state-0000000002\\.msgpack \\d+ bytes, committed files: 1") // compaction
                .contains("nothing changed -> no file written")
                .contains("auto-save wrote the change; committed files: 2")
                .contains("reloaded 1998 vectors; at-close present: true");
    }

    @Test
    void progressTracking() throws Exception {
        String out = run(ProgressTracking::main, dir.toString(), "3000");
        assertThat(out).contains("\rsave    50.0%  1,500/3,000 entries")      // one line, rewritten in place
                .contains("\rsave   100.0%  3,000/3,000 entries")
                .contains("\rload    50.0%  1,500/3,000 entries")
                .contains("\rload   100.0%  3,000/3,000 entries")
                .contains("loaded 3000 vectors");
    }

    @Test
    void langChain4jDurableStore() throws Exception {
        String out = run(LangChain4jDurableStore::main, dir.toString());
        assertThat(out).contains("imported 200 embeddings from in-memory-store.json")
                .containsPattern("added [0-9a-f-]{36}; store holds 201")
                .containsPattern("top news match: Document 42 \\(score 1\\.0000\\)")
                .contains("reopened: 201 embeddings; best match Document 200 with page Integer and score Float")
                .contains("MANIFEST.json");
    }
}
