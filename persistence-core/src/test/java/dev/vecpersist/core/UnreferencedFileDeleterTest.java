package dev.vecpersist.core;

import dev.vecpersist.core.io.FileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class UnreferencedFileDeleterTest {

    @TempDir
    Path dir;
    private BaseDirectory base;
    private UnreferencedFileDeleter deleter;

    @BeforeEach
    void open() {
        base = BaseDirectory.openOwned(FileOps.SYSTEM, dir);
        deleter = new UnreferencedFileDeleter(base);
    }

    @AfterEach
    void close() {
        base.close();
    }

    private static Manifest.FileRef ref(String name) {
        return new Manifest.FileRef(name, "json", "none", "crc32c:00000000", 1, 0, 10);
    }

    private static Manifest chain(long generation, int deltas) {
        List<Manifest.FileRef> refs = new java.util.ArrayList<>();
        for (int d = 1; d <= deltas; d++) {
            refs.add(ref(Manifest.deltaFileName(generation, d, "json")));
        }
        return new Manifest(generation, ref(Manifest.baseFileName(generation, "json")), refs);
    }

    private void touch(Manifest m) throws IOException {
        for (String name : m.fileNames()) {
            Files.writeString(dir.resolve(name), name);
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(DirectoryLock.FILE_NAME)).sorted().toList();
        }
    }

    @Test
    void aCommitDeletesOnlyWhatThePreviousManifestListedAndTheNewOneDoesNot() throws IOException {
        Manifest previous = chain(1, 2);
        Manifest next = chain(2, 0);
        touch(previous);
        touch(next);
        Files.writeString(dir.resolve("notes.txt"), "not ours");
        deleter.deleteSuperseded(previous, next);
        assertThat(files()).containsExactly("notes.txt", "state-0000000002.json");
        deleter.deleteSuperseded(null, next); // no previous manifest: nothing is provably superseded
        assertThat(files()).containsExactly("notes.txt", "state-0000000002.json");
    }

    @Test
    void aFailedCommitDeletesTheFilesWrittenForItButNoneTheCommittedManifestLists() throws IOException {
        Manifest committed = chain(1, 1);
        Manifest failed = committed.withDelta(ref(Manifest.deltaFileName(1, 2, "json")));
        touch(failed);
        deleter.deleteUncommitted(failed, committed);
        assertThat(files()).containsExactly("state-0000000001-delta-000001.json", "state-0000000001.json");
    }

    @Test
    void orphansAreDeletedOnlyWhenAReadableManifestProvesThemUnreferenced() throws IOException {
        Manifest committed = chain(3, 1);
        touch(committed);
        touch(chain(2, 1)); // a crash after committing generation 3, before deleting generation 2
        Files.writeString(dir.resolve("audit.log"), "kept");

        deleter.deleteOrphans(null); // no readable manifest: it might list any of them
        assertThat(files()).hasSize(5);

        Files.writeString(dir.resolve(DamagedManifest.CORRUPT_PREFIX + "20260101T000000.000Z"), "{");
        deleter.deleteOrphans(committed); // a damaged manifest kept aside may list them
        assertThat(files()).hasSize(6);

        Files.delete(dir.resolve(DamagedManifest.CORRUPT_PREFIX + "20260101T000000.000Z"));
        deleter.deleteOrphans(committed);
        assertThat(files()).containsExactly("audit.log", "state-0000000003-delta-000001.json", "state-0000000003.json");
    }
}
