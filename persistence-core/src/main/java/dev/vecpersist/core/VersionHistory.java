package dev.vecpersist.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The retained versions of a base directory, kept IN the manifest ({@link Manifest#history()}) so that
 * one atomic rename commits a new version and the new history together: there is no second file that
 * a crash could leave out of step with the manifest, and the files to keep are exactly those the
 * manifest names (reference counting over the history is a union of the retained versions' files).
 *
 * <p>A version is a generation and a number of deltas: version (g, d) is the base of generation g
 * with its first d deltas. Files are never rewritten under the same name, so the versions of one
 * generation share their files, and only one chain per generation is stored: the manifest's own for
 * its generation, {@link #olderChains()} for the others, each cut to the longest version retained.
 * Immutable.
 *
 * @param versions    the retained versions, oldest first; the last is the manifest's own (the latest)
 * @param olderChains the chains of the other generations that retained versions need
 */
record VersionHistory(List<Version> versions, List<Chain> olderChains) {

    /**
     * One retained version.
     *
     * @param number     1 for the first commit, one more for each commit after it
     * @param time       when it was committed
     * @param kind       what wrote it
     * @param generation its base's generation
     * @param deltas     the number of deltas of that generation replayed over the base
     */
    record Version(long number, Instant time, VersionInfo.Kind kind, long generation, int deltas) {
        Version {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * The files of one generation: its base and deltas, in order.
     *
     * @param generation the generation
     * @param base       its full state
     * @param deltas     its deltas, oldest first
     */
    record Chain(long generation, Manifest.FileRef base, List<Manifest.FileRef> deltas) {
        Chain {
            deltas = List.copyOf(deltas);
        }

        /** {@return this chain cut to its first {@code count} deltas} */
        Chain cut(int count) {
            return count == deltas.size() ? this : new Chain(generation, base, deltas.subList(0, count));
        }

        List<Manifest.FileRef> refs() {
            List<Manifest.FileRef> all = new ArrayList<>();
            all.add(base);
            all.addAll(deltas);
            return all;
        }
    }

    VersionHistory {
        versions = List.copyOf(versions);
        olderChains = List.copyOf(olderChains);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a history holds at least the latest version");
        }
    }

    /** The history of a manifest that records only itself (written before versions were recorded, or rebuilt). */
    static VersionHistory only(long generation, int deltas, Instant time) {
        return new VersionHistory(List.of(new Version(1, time, deltas == 0 ? VersionInfo.Kind.FULL : VersionInfo.Kind.DELTA,
                generation, deltas)), List.of());
    }

    /**
     * The history after committing the chain {@code (generation, base, deltas)} over {@code previous}
     * (null when nothing is committed): one more version, then {@code policy} applied, then the
     * chains no retained version needs dropped.
     */
    static VersionHistory next(Manifest previous, Chain committed, VersionInfo.Kind kind, Instant now,
                               HistoryPolicy policy) {
        List<Version> versions = new ArrayList<>(previous == null ? List.of() : previous.history().versions());
        long number = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).number() + 1;
        versions.add(new Version(number, now, kind, committed.generation(), committed.deltas().size()));
        List<Version> kept = versions.subList(policy.dropCount(versions, now), versions.size());
        List<Chain> known = new ArrayList<>();
        if (previous != null) {
            known.addAll(previous.history().olderChains());
            known.add(previous.chain());
        }
        Map<Long, Integer> longest = new HashMap<>();
        for (Version v : kept) {
            longest.merge(v.generation(), v.deltas(), Math::max);
        }
        List<Chain> older = new ArrayList<>();
        for (Chain c : known) {
            Integer cut = longest.get(c.generation());
            if (cut != null && c.generation() != committed.generation()) {
                older.add(c.cut(cut));
            }
        }
        return new VersionHistory(kept, older);
    }

    /** {@return the latest version: the manifest's own} */
    Version latest() {
        return versions.get(versions.size() - 1);
    }

    /** {@return the retained version numbered {@code number}, if any} */
    Optional<Version> find(long number) {
        return versions.stream().filter(v -> v.number() == number).findFirst();
    }

    /** {@return the newest retained version committed at or before {@code time}, if any} */
    Optional<Version> asOf(Instant time) {
        Version found = null;
        for (Version v : versions) {
            if (!v.time().isAfter(time)) {
                found = v;
            }
        }
        return Optional.ofNullable(found);
    }

    /** {@return the files that load {@code v}: its generation's chain, cut to its deltas} */
    Chain chainOf(Version v, Chain current) {
        Chain whole = v.generation() == current.generation() ? current
                : olderChains.stream().filter(c -> c.generation() == v.generation()).findFirst().orElseThrow();
        return whole.cut(v.deltas());
    }

    /** {@return the names of every file a retained version needs (the manifest's own chain is {@code current})} */
    Set<String> referencedFileNames(Chain current) {
        Set<String> names = new LinkedHashSet<>();
        for (Chain c : olderChains) {
            c.refs().forEach(r -> names.add(r.file()));
        }
        current.refs().forEach(r -> names.add(r.file()));
        return names;
    }

    /**
     * Checks that the history fits the manifest's own chain {@code current}: numbers ascend, the latest
     * version is {@code current}, every version's chain is stored and long enough.
     *
     * @throws IllegalArgumentException when it does not
     */
    void check(Chain current) {
        Version latest = latest();
        if (latest.generation() != current.generation() || latest.deltas() != current.deltas().size()) {
            throw new IllegalArgumentException("the latest version " + latest.number() + " is not the manifest's chain");
        }
        Map<Long, Chain> chains = new HashMap<>();
        chains.put(current.generation(), current);
        for (Chain c : olderChains) {
            if (chains.put(c.generation(), c) != null) {
                throw new IllegalArgumentException("generation " + c.generation() + " is stored twice");
            }
        }
        long previous = 0;
        for (Version v : versions) {
            if (v.number() <= previous) {
                throw new IllegalArgumentException("version numbers do not ascend at " + v.number());
            }
            previous = v.number();
            Chain c = chains.get(v.generation());
            if (c == null || v.deltas() < 0 || v.deltas() > c.deltas().size()) {
                throw new IllegalArgumentException("version " + v.number() + " names a chain the manifest does not hold");
            }
        }
    }

    /** {@return what {@link VersionOperations#listVersions()} shows of {@code v}} */
    VersionInfo info(Version v, Chain current) {
        Chain c = chainOf(v, current);
        Manifest.FileRef written = v.deltas() == 0 ? c.base() : c.deltas().get(v.deltas() - 1);
        return new VersionInfo(v.number(), v.time(), v.kind(), written.entries(), written.deletions(), written.bytes(),
                new CommitVersion(v.generation(), v.deltas()));
    }
}
