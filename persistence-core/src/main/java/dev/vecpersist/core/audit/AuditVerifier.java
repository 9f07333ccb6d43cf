package dev.vecpersist.core.audit;

import dev.vecpersist.api.EncryptionException;
import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.core.crypto.EncryptionKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a directory's audit log (rotated files oldest first, then {@code audit.log}) and reports
 * the first line that was edited, removed or moved, or a torn last line (an interrupted append,
 * which the next append repairs). Thread-safe (stateless).
 *
 * <pre>{@code
 * AuditVerifier.Report r = new AuditVerifier(keys).verify(baseDir);
 * if (!r.intact()) System.err.println(r.problem());
 * }</pre>
 */
public final class AuditVerifier {

    /**
     * The outcome.
     *
     * @param files     the files checked, in chain order
     * @param lines     complete lines checked
     * @param problem   the first break in the chain (file, line number, what), or null when intact
     * @param tornTail  a description of a torn last line, or null
     */
    public record Report(List<Path> files, long lines, String problem, String tornTail) {
        /** {@return whether no line was edited, removed or moved (a torn last line is not tampering)} */
        public boolean intact() {
            return problem == null;
        }
    }

    private final Encryption encryption;

    /**
     * A verifier.
     *
     * @param keys the keys an HMAC-chained log was written under, or null for a SHA-256 chain
     */
    public AuditVerifier(EncryptionKeys keys) {
        this.encryption = keys == null ? null : new Encryption(keys);
    }

    /**
     * Verifies the audit log in {@code dir}.
     *
     * @param dir a base directory
     * @return what was found
     * @throws PersistenceException when the directory holds no audit log or a file cannot be read
     * @throws EncryptionException  when the log is HMAC-chained under a key that is not configured
     */
    public Report verify(Path dir) {
        List<Path> files = files(dir);
        String expectedPrev = null;
        long expectedSeq = -1;
        long checked = 0;
        String torn = null;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PersistenceException("cannot read the audit log: " + e.getMessage(), file, e);
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                boolean last = i == lines.length - 1;
                if (last && lines[i].isEmpty()) {
                    break;
                }
                String where = file.getFileName() + " line " + (i + 1);
                AuditChain.Line line = AuditChain.parse(lines[i]);
                if (last && f == files.size() - 1) {
                    // no newline after it: an append that a crash interrupted
                    torn = where + " is torn (" + lines[i].getBytes(StandardCharsets.UTF_8).length
                            + " bytes without a line end: an interrupted append; the next append removes it)";
                    break;
                }
                if (line == null) {
                    return new Report(files, checked, where + " is not a well-formed audit line: it was edited", torn);
                }
                if (!hashMatches(line, file)) {
                    return new Report(files, checked, where + " (seq " + line.seq() + ") was edited: its hash does not match", torn);
                }
                if (expectedSeq >= 0 && line.seq() != expectedSeq) {
                    String what = line.seq() > expectedSeq ? (line.seq() - expectedSeq) + " line(s) before it were removed"
                            : "it is out of order (a line was moved)";
                    return new Report(files, checked, where + " has seq " + line.seq() + ", expected " + expectedSeq
                            + ": " + what, torn);
                }
                if (expectedPrev != null && !expectedPrev.equals(line.prev())) {
                    return new Report(files, checked, where + " (seq " + line.seq() + ") does not link to the line "
                            + "before it: a line was removed, replaced or moved", torn);
                }
                if (expectedPrev == null && line.seq() == 1 && !AuditChain.GENESIS.equals(line.prev())) {
                    return new Report(files, checked, where + " claims to be the first line but links to a predecessor", torn);
                }
                expectedPrev = line.hash();
                expectedSeq = line.seq() + 1;
                checked++;
            }
        }
        return new Report(files, checked, null, torn);
    }

    private boolean hashMatches(AuditChain.Line line, Path file) {
        if (line.keyId() == null) {
            return AuditChain.hash(null, null, line.body()).equals(line.hash());
        }
        if (encryption == null) {
            throw new EncryptionException("the audit log is HMAC-chained under key '" + line.keyId()
                    + "', but no encryption keys are configured (--key-file / VECPERSIST_KEY)", line.keyId(), file);
        }
        return AuditChain.verifyMac(encryption, line.keyId(), line.body(), line.hash(), file);
    }

    private static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> rotated = Files.newDirectoryStream(dir, "audit-*.log")) {
            for (Path f : rotated) {
                if (AuditChain.ROTATED.matcher(f.getFileName().toString()).matches()) {
                    files.add(f);
                }
            }
        } catch (IOException e) {
            throw new PersistenceException("cannot list the audit logs: " + e.getMessage(), dir, e);
        }
        files.sort(null);
        if (Files.exists(dir.resolve(AuditChain.FILE))) {
            files.add(dir.resolve(AuditChain.FILE));
        }
        if (files.isEmpty()) {
            throw new PersistenceException("no audit log (" + AuditChain.FILE + ") here", dir, null);
        }
        return files;
    }
}
