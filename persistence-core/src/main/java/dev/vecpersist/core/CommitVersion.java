package dev.vecpersist.core;

/**
 * One committed state of a base directory: the generation of its base (it grows with every full
 * save or compaction) and how many deltas are replayed over it. Within one directory it names exactly
 * one content; versions order as they were committed.
 *
 * @param generation the base's generation
 * @param deltas     the number of deltas over the base
 */
public record CommitVersion(long generation, int deltas) implements Comparable<CommitVersion> {

    static CommitVersion of(Manifest m) {
        return new CommitVersion(m.generation(), m.deltas().size());
    }

    @Override
    public int compareTo(CommitVersion o) {
        int c = Long.compare(generation, o.generation);
        return c != 0 ? c : Integer.compare(deltas, o.deltas);
    }

    @Override
    public String toString() {
        return generation + "+" + deltas;
    }
}
