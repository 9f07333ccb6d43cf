package dev.vecpersist.core;

import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.audit.AuditVerifier;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.json.JsonSetup;
import dev.vecpersist.json.MetadataJson;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogTest {

    @TempDir
    Path dir;

    private PersistenceOptions.Builder opts() {
        return PersistenceOptions.builder().baseDir(dir).format("json").auditLog(true);
    }

    private Path log() {
        return dir.resolve("audit.log");
    }

    private static Map<String, Object> parse(String line) throws IOException {
        try (var p = JsonSetup.FACTORY.createParser(line)) {
            return MetadataJson.readDocument(p);
        }
    }

    private List<Map<String, Object>> lines() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : Files.readAllLines(log())) {
            out.add(parse(l));
        }
        return out;
    }

    private void someOperations(PersistenceOptions options) {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(30, 4, 1));
        try (DatabasePersistence p = new DatabasePersistence(db, options)) {
            p.save();
            db.insert(new VectorEntry("x", new float[] {1, 2, 3, 4}));
            p.saveIncremental();
        }
    }

    @Test
    void everyOperationAppendsOneLineWithItsFacts() throws Exception {
        VectorDB db = new VectorDB(4, Metric.COSINE);
        db.insertBatch(TestStates.entries(30, 4, 1));
        Path export = dir.resolve("exported.json");
        try (DatabasePersistence p = new DatabasePersistence(db, opts().maxDeltas(1)
                .autoSaveInterval(Duration.ofMillis(50)).build())) {
            p.save();
            db.insert(new VectorEntry("x", new float[] {1, 2, 3, 4}));
            p.saveIncremental();
            db.insert(new VectorEntry("y", new float[] {1, 2, 3, 4}));
            p.saveIncremental(); // maxDeltas reached: a compaction
            p.load();
            SnapshotMetadata s = p.createSnapshot("s");
            p.restoreSnapshot(s.id());
            p.deleteSnapshot(s.id());
            p.export(ExportOptions.to(export).build());
            p.importFrom(ImportOptions.from(export).build());
            assertThatThrownBy(() -> p.load(dir.resolve("missing.json"))).isInstanceOf(PersistenceException.class);
            p.startAutoSave();
            db.insert(new VectorEntry("z", new float[] {1, 2, 3, 4}));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.hasUnsavedChanges() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            p.stopAutoSave();
        }
        List<Map<String, Object>> lines = lines();
        assertThat(lines).extracting(l -> l.get("operation")).containsExactly("save", "saveIncremental", "compaction",
                "load", "createSnapshot", "restoreSnapshot", "deleteSnapshot", "export", "import", "load", "autoSave");
        Map<String, Object> save = lines.get(0);
        assertThat(save.get("outcome")).isEqualTo("ok");
        assertThat(save.get("files")).isEqualTo(List.of("state-0000000001.json"));
        assertThat(save.get("entries")).isEqualTo(30L);
        assertThat((Long) save.get("bytes")).isPositive();
        assertThat((String) save.get("checksum")).startsWith("crc32c:");
        assertThat(save.get("pid")).isEqualTo(ProcessHandle.current().pid());
        assertThat(save.get("user")).isEqualTo(System.getProperty("user.name"));
        assertThat(save).containsKeys("time", "durationMs", "prev", "hash");
        assertThat(lines.get(1).get("deletions")).isEqualTo(0L);
        assertThat(lines.get(1).get("entries")).isEqualTo(1L);
        assertThat(lines.get(3).get("files")).isEqualTo(List.of("state-0000000002.json"));
        assertThat(lines.get(5).get("snapshotId")).isEqualTo(lines.get(6).get("snapshotId"));
        Map<String, Object> failed = lines.get(9);
        assertThat(failed.get("outcome")).isEqualTo("failed");
        assertThat((String) failed.get("error")).contains("no such file");
        assertThat(lines).extracting(l -> l.get("seq")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        AuditVerifier.Report report = new AuditVerifier(null).verify(dir);
        assertThat(report.intact()).as(report.problem()).isTrue();
        assertThat(report.lines()).isEqualTo(11);
        assertThat(report.tornTail()).isNull();
    }

    @Test
    void linesGoToTheSlf4jAuditLoggerToo() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            someOperations(opts().build());
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("dev.vecpersist.audit").contains("\"operation\":\"save\"")
                .contains("\"operation\":\"saveIncremental\"");
    }

    @Test
    void verifyReportsTheFirstEditedRemovedOrMovedLine() throws Exception {
        someOperations(opts().build());
        someOperations(opts().build());
        List<String> original = Files.readAllLines(log());
        assertThat(original).hasSize(4);

        List<String> edited = new ArrayList<>(original);
        edited.set(1, edited.get(1).replace("\"entries\":1", "\"entries\":2"));
        assertThat(edited).isNotEqualTo(original);
        Files.write(log(), edited);
        assertThat(new AuditVerifier(null).verify(dir).problem()).contains("line 2").contains("was edited");

        List<String> removed = new ArrayList<>(original);
        removed.remove(1);
        Files.write(log(), removed);
        assertThat(new AuditVerifier(null).verify(dir).problem()).contains("line 2").contains("1 line(s) before it were removed");

        List<String> swapped = new ArrayList<>(original);
        swapped.set(1, original.get(2));
        swapped.set(2, original.get(1));
        Files.write(log(), swapped);
        assertThat(new AuditVerifier(null).verify(dir).problem()).contains("line 2").contains("seq 3, expected 2");

        List<String> lastRemoved = new ArrayList<>(original.subList(1, 4));
        Files.write(log(), lastRemoved); // the first line removed: the second no longer starts the chain
        assertThat(new AuditVerifier(null).verify(dir).intact()).isTrue(); // a chain may start mid-way (rotated-away logs)...
        lastRemoved.set(0, lastRemoved.get(0).replace("\"seq\":2", "\"seq\":1"));
        Files.write(log(), lastRemoved); // ...but a forged first line does not verify
        assertThat(new AuditVerifier(null).verify(dir).problem()).contains("line 1");

        Files.write(log(), original);
        assertThat(new AuditVerifier(null).verify(dir).intact()).isTrue();
    }

    @Test
    void aTornLastLineIsReportedAndRepairedByTheNextAppend() throws Exception {
        someOperations(opts().build());
        String torn = "{\"seq\":3,\"time\":\"2026-11-25T";
        Files.writeString(log(), torn, StandardOpenOption.APPEND);
        AuditVerifier.Report report = new AuditVerifier(null).verify(dir);
        assertThat(report.intact()).isTrue();
        assertThat(report.tornTail()).contains("audit.log line 3 is torn").contains(torn.length() + " bytes");

        VectorDB db = new VectorDB(4, Metric.COSINE);
        try (DatabasePersistence p = new DatabasePersistence(db, opts().build())) {
            p.load();
        }
        List<Map<String, Object>> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2).get("operation")).isEqualTo("load");
        assertThat(lines.get(2).get("seq")).isEqualTo(3L);
        assertThat(lines.get(2).get("repairedTornBytes")).isEqualTo((long) torn.length());
        report = new AuditVerifier(null).verify(dir);
        assertThat(report.intact()).as(report.problem()).isTrue();
        assertThat(report.tornTail()).isNull();
    }

    @Test
    void withEncryptionTheChainIsAnHmacThatNeedsTheKey() throws Exception {
        EncryptionKeys keys = EncryptionKeys.of("k1", EncryptionTest.KEY1);
        someOperations(opts().encryption(keys).build());
        List<String> original = Files.readAllLines(log());
        assertThat(original.get(0)).contains("\"keyId\":\"k1\"");
        assertThat(new AuditVerifier(keys).verify(dir).intact()).isTrue();
        assertThatThrownBy(() -> new AuditVerifier(null).verify(dir)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("'k1'");
        // an edit whose hash is recomputed as plain SHA-256 is still caught: it needs the key
        List<String> forged = new ArrayList<>(original);
        forged.set(0, original.get(0).replace("\"entries\":30", "\"entries\":31"));
        Files.write(log(), forged);
        assertThat(new AuditVerifier(keys).verify(dir).problem()).contains("line 1").contains("edited");
        assertThat(new AuditVerifier(EncryptionKeys.of("k1", EncryptionTest.KEY2)).verify(dir).problem()).contains("line 1");
    }

    @Test
    void rotationBySizeKeepsTheChainAcrossFiles() throws Exception {
        for (int i = 0; i < 12; i++) {
            someOperations(opts().auditLogMaxBytes(4096).build());
        }
        List<Path> rotated;
        try (var files = Files.list(dir)) {
            rotated = files.filter(f -> f.getFileName().toString().matches("audit-\\d{6}\\.log")).sorted().toList();
        }
        assertThat(rotated).hasSizeGreaterThanOrEqualTo(2);
        for (Path f : rotated) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(4096);
        }
        AuditVerifier.Report report = new AuditVerifier(null).verify(dir);
        assertThat(report.intact()).as(report.problem()).isTrue();
        assertThat(report.lines()).isEqualTo(24);
        assertThat(report.files()).hasSize(rotated.size() + 1);
        // the new file's first line links to the rotated file's last line
        List<String> older = Files.readAllLines(rotated.get(rotated.size() - 1));
        Map<String, Object> head = parse(Files.readAllLines(log()).get(0));
        assertThat(head.get("prev")).isEqualTo(parse(older.get(older.size() - 1)).get("hash"));
        // a line removed from a rotated file is found
        List<String> first = new ArrayList<>(Files.readAllLines(rotated.get(0)));
        first.remove(first.size() - 1);
        Files.write(rotated.get(0), first);
        assertThat(new AuditVerifier(null).verify(dir).problem()).contains(rotated.get(1).getFileName() + " line 1");
    }
}
