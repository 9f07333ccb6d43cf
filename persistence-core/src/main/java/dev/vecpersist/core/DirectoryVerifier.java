package dev.vecpersist.core;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.core.crypto.EncryptionKeys;
import dev.vecpersist.core.io.AtomicFile;
import dev.vecpersist.core.io.FileOps;
import dev.vecpersist.core.io.StaleTemps;
import dev.vecpersist.json.SnapshotMetadataJson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks a manager's base directory without changing it: the committed chain and the chains of the
 * older versions the manifest retains (every file they list exists, has the size, checksum, counts and kind the manifest recorded, and verifies
 * completely), every other state file, every filesystem snapshot (its metadata parses, its data
 * file has the recorded size and SHA-256, and its content verifies), and reports stray temporary
 * files and state files no manifest references.
 */
public final class DirectoryVerifier {

    /** What a finding says about a path. */
    public enum Status {
        /** Checked and sound. */
        OK,
        /** Damaged, missing or unreadable. */
        DAMAGED,
        /** A leftover of an interrupted save or snapshot; the manager removes it when it next opens the directory. */
        STRAY
    }

    /**
     * One finding.
     *
     * @param status what was found
     * @param path   the file concerned
     * @param detail what was checked, or what is wrong
     */
    public record Finding(Status status, Path path, String detail) {
    }

    private static final String SNAPSHOTS = "snapshots";
    private static final String META = ".meta.json";

    private final StateInspector inspector;

    /** A verifier for directories saved without encryption. */
    public DirectoryVerifier() {
        this(null);
    }

    /**
     * A verifier that decrypts encrypted files and checks the manifest's seal.
     *
     * @param keys the keys to decrypt with, or null for none
     */
    public DirectoryVerifier(EncryptionKeys keys) {
        this.inspector = new StateInspector(Plugins.discover(), keys);
    }

    /**
     * Checks a base directory.
     *
     * @param baseDir the directory
     * @return the findings, at most one OK or DAMAGED per path (DAMAGED wins), plus the STRAY ones
     * @throws IOException when the directory cannot be listed
     */
    public List<Finding> verify(Path baseDir) throws IOException {
        Map<Path, Finding> byPath = new LinkedHashMap<>();
        List<Finding> strays = new ArrayList<>();
        Manifest manifest = null;
        if (Files.exists(baseDir.resolve(Manifest.FILE_NAME))) {
            try {
                manifest = inspector.manifestOf(baseDir);
            } catch (PersistenceException e) {
                put(byPath, new Finding(Status.DAMAGED, baseDir.resolve(Manifest.FILE_NAME), detailOf(e, baseDir.resolve(Manifest.FILE_NAME))));
            }
        }
        if (manifest != null) {
            checkChain(baseDir, manifest, byPath);
            for (VersionHistory.Chain older : manifest.history().olderChains()) { // files retained versions need
                checkChain(baseDir, new Manifest(older.generation(), older.base(), older.deltas()), byPath);
            }
        }
        for (Path f : regularFiles(baseDir)) {
            String name = f.getFileName().toString();
            if (AtomicFile.isTemp(f)) {
                if (StaleTemps.isStale(f)) { // a live process's temporary is a save in flight, not a stray
                    strays.add(new Finding(Status.STRAY, f, "temporary file of an interrupted save"));
                }
            } else if (Manifest.STATE_FILE.matcher(name).matches() && manifest != null
                    && !manifest.referencedFileNames().contains(name)) {
                strays.add(new Finding(Status.STRAY, f, "state file the manifest does not list (an interrupted save)"));
            } else if (name.startsWith(DamagedManifest.CORRUPT_PREFIX) || name.startsWith(DamagedManifest.REPLACED_PREFIX)) {
                // a manifest recovery kept aside: not a state file; while it is there no state file is removed
                put(byPath, new Finding(Status.OK, f, "previous manifest kept aside by recovery (delete it once the "
                        + "rebuilt state is confirmed)"));
            } else if (!name.startsWith(".") && !name.equals(Manifest.FILE_NAME) && !byPath.containsKey(f)) {
                put(byPath, verifyFile(f));
            }
        }
        checkSnapshots(baseDir.resolve(SNAPSHOTS), byPath, strays);
        List<Finding> all = new ArrayList<>(byPath.values());
        all.addAll(strays);
        return all;
    }

    private void checkChain(Path baseDir, Manifest m, Map<Path, Finding> byPath) {
        List<Manifest.FileRef> refs = new ArrayList<>();
        refs.add(m.base());
        refs.addAll(m.deltas());
        StateHeader base = null;
        for (int i = 0; i < refs.size(); i++) {
            Manifest.FileRef ref = refs.get(i);
            Path f = baseDir.resolve(ref.file());
            if (!Files.exists(f)) {
                put(byPath, new Finding(Status.DAMAGED, f, "listed in " + Manifest.FILE_NAME + " but missing"));
                continue;
            }
            try {
                StateInspector.Report r = inspector.verify(f);
                String problem = chainProblem(ref, r, i == 0, base, size(f));
                if (i == 0) {
                    base = r.header();
                }
                put(byPath, problem == null ? ok(f, r) : new Finding(Status.DAMAGED, f, problem));
            } catch (PersistenceException e) {
                put(byPath, new Finding(Status.DAMAGED, f, detailOf(e, f)));
            }
        }
    }

    private static String chainProblem(Manifest.FileRef ref, StateInspector.Report r, boolean isBase, StateHeader base,
                                       long size) {
        StateHeader h = r.header();
        if (size != ref.bytes()) {
            return "the manifest recorded " + ref.bytes() + " bytes, the file has " + size;
        }
        if (!ref.checksum().equals(r.checksum())) {
            return "the manifest recorded checksum " + ref.checksum() + ", the file carries " + r.checksum();
        }
        if (h.entryCount() != ref.entries() || h.deletionCount() != ref.deletions()) {
            return "the manifest recorded " + ref.entries() + " entries and " + ref.deletions()
                    + " deletions, the file holds " + h.entryCount() + " and " + h.deletionCount();
        }
        StateHeader.Kind kind = isBase ? StateHeader.Kind.FULL : StateHeader.Kind.DELTA;
        if (h.kind() != kind) {
            return "the chain needs a " + kind.name().toLowerCase(Locale.ROOT) + " state here, the file is a "
                    + h.kind().name().toLowerCase(Locale.ROOT) + " state";
        }
        if (base != null && (h.dimension() != base.dimension() || h.metric() != base.metric())) {
            return "dimension/metric " + h.dimension() + "/" + h.metric().fileName() + " differ from the base's "
                    + base.dimension() + "/" + base.metric().fileName();
        }
        return null;
    }

    private void checkSnapshots(Path dir, Map<Path, Finding> byPath, List<Finding> strays) throws IOException {
        for (Path f : regularFiles(dir)) {
            String name = f.getFileName().toString();
            if (AtomicFile.isTemp(f)) {
                if (StaleTemps.isStale(f)) {
                    strays.add(new Finding(Status.STRAY, f, "temporary file of an interrupted snapshot"));
                }
            } else if (name.endsWith(META)) {
                checkSnapshot(dir, f, byPath);
            }
        }
        for (Path f : regularFiles(dir)) {
            String name = f.getFileName().toString();
            if (!AtomicFile.isTemp(f) && !name.endsWith(META) && !byPath.containsKey(f)) {
                strays.add(new Finding(Status.STRAY, f, "snapshot data without metadata (an interrupted snapshot)"));
            }
        }
    }

    private void checkSnapshot(Path dir, Path metaFile, Map<Path, Finding> byPath) {
        String id = metaFile.getFileName().toString().replace(META, "");
        SnapshotMetadata meta;
        try (InputStream in = Files.newInputStream(metaFile)) {
            meta = SnapshotMetadataJson.read(in);
        } catch (IOException e) {
            put(byPath, new Finding(Status.DAMAGED, metaFile, "unreadable snapshot metadata: " + e.getMessage()));
            return;
        }
        Path data = Files.isRegularFile(dir.resolve(id + ".data")) ? dir.resolve(id + ".data") : dir.resolve(id + ".json");
        if (!Files.isRegularFile(data)) {
            put(byPath, new Finding(Status.DAMAGED, metaFile, "snapshot " + id + " has no data file"));
            return;
        }
        String problem;
        try {
            problem = storedBytesProblem(data, meta);
        } catch (IOException e) {
            put(byPath, new Finding(Status.DAMAGED, data, "cannot read: " + e.getMessage()));
            return;
        }
        Finding content = verifyFile(data);
        if (problem != null) {
            put(byPath, new Finding(Status.DAMAGED, data, "snapshot '" + meta.name() + "': " + problem));
        } else {
            put(byPath, content.status() == Status.OK
                    ? new Finding(Status.OK, data, content.detail() + ", snapshot '" + meta.name() + "' size and SHA-256 match")
                    : content);
        }
    }

    private static String storedBytesProblem(Path data, SnapshotMetadata meta) throws IOException {
        MessageDigest sha = sha256();
        long size = 0;
        try (InputStream in = new DigestInputStream(Files.newInputStream(data), sha)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
            }
        }
        if (size != meta.fileSize()) {
            return "its metadata records " + meta.fileSize() + " bytes, the data file has " + size;
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equalsIgnoreCase(meta.checksum())) {
            return "SHA-256 mismatch: its metadata records " + meta.checksum() + ", the data file gives " + actual;
        }
        return null;
    }

    private Finding verifyFile(Path f) {
        try {
            return ok(f, inspector.verify(f));
        } catch (PersistenceException e) {
            return new Finding(Status.DAMAGED, f, detailOf(e, f));
        }
    }

    private static Finding ok(Path f, StateInspector.Report r) {
        return new Finding(Status.OK, f, r.format() + "/" + r.compression() + ", "
                + r.header().kind().name().toLowerCase(Locale.ROOT) + ", " + r.header().entryCount()
                + " entries, checksum " + r.checksumState().toLowerCase(Locale.ROOT)
                + (r.keyId() == null ? "" : ", encrypted with key '" + r.keyId() + "', authenticated"));
    }

    private static String detailOf(PersistenceException e, Path f) {
        String prefix = f + ": ";
        return e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
    }

    private static void put(Map<Path, Finding> byPath, Finding f) {
        Finding before = byPath.get(f.path());
        if (before == null || before.status() == Status.OK) {
            byPath.put(f.path(), f);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
