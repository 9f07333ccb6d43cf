package dev.vecpersist.testkit;

import dev.vecpersist.api.PersistableDatabase;
import dev.vecpersist.api.VectorEntry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * A database's content as a short hash, the same in every JVM, and its entries sorted by id: what
 * tests compare a replica with its writer by (also across processes, where only the hash travels).
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static List<VectorEntry> sorted(PersistableDatabase db) {
        List<VectorEntry> entries = new ArrayList<>();
        db.snapshot().forEach(entries::add);
        entries.sort(Comparator.comparing(VectorEntry::id));
        return entries;
    }

    /** SHA-256 over the entries sorted by id (id, vector bits, metadata). */
    public static String of(PersistableDatabase db) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (VectorEntry e : sorted(db)) {
                sha.update(e.id().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                ByteBuffer bits = ByteBuffer.allocate(e.vector().length * 4);
                for (float f : e.vector()) {
                    bits.putInt(Float.floatToRawIntBits(f));
                }
                sha.update(bits.array());
                sha.update(new TreeMap<>(e.metadata()).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
