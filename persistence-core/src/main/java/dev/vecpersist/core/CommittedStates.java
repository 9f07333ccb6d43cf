package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Keeps the {@link IncrementalRestore}'s known state on the committed chain of the base directory.
 * After a save: when nothing changed since the known state, the version committed is one more name
 * for it; when the known state is (also) a snapshot, it stays as it is, so that the snapshot still
 * restores incrementally; otherwise the database now holds the version just committed (its
 * fingerprint derived from the tracked changes for one more delta, computed in full for a new base).
 * {@link #load} of the committed chain, when the database derives from that version or an earlier one
 * of the same base, reverts to it and reads only the deltas committed since.
 */
final class CommittedStates {

    private final IncrementalRestore restores;
    private final ChainLoader loader;
    private final CommitPoint commits;
    private final ChainSaver saves;
    private final Path dir;

    CommittedStates(IncrementalRestore restores, ChainLoader loader, CommitPoint commits, ChainSaver saves, Path dir) {
        this.restores = restores;
        this.loader = loader;
        this.commits = commits;
        this.saves = saves;
        this.dir = dir;
    }

    /** Loads the chain {@code m} of the base directory, incrementally when it can; returns the new change sequence. */
    long load(Manifest m, ProgressListener listener) {
        List<String> target = RestorePlanner.committed(m);
        OptionalLong incremental = restores.tryRestore(target, null, (from, progress) ->
                loader.stageDeltas(dir, m.deltas().subList(from - 1, m.deltas().size()), progress), listener, "load");
        if (incremental.isPresent()) {
            return incremental.getAsLong();
        }
        long sequence = loader.loadChain(dir, m, listener);
        restores.holdsNow(target, sequence);
        return sequence;
    }

    /** Runs a save; then the known state follows the version it committed. */
    <T> T save(Supplier<T> save) {
        Manifest before = commits.current();
        T result = save.get();
        Manifest after = commits.current();
        if (after != null && !after.equals(before)) {
            committed(before, after, saves.savedSequence());
        }
        return result;
    }

    private void committed(Manifest before, Manifest after, long sequence) {
        KnownState known = restores.known();
        if (sequence < 0) {
            restores.forget();
            return;
        }
        if (restores.alsoHoldsUnchanged(RestorePlanner.committed(after), sequence)) {
            return; // saved what the known state holds: one more name for it
        }
        if (known != null && known.isSnapshot()) {
            return; // keep the snapshot known: a save does not change the content
        }
        boolean oneMoreDelta = before != null && after.generation() == before.generation()
                && after.base().equals(before.base()) && after.deltas().size() == before.deltas().size() + 1;
        if (oneMoreDelta && known != null && known.identities().contains(RestorePlanner.committed(before))
                && restores.advance(RestorePlanner.committed(after), sequence)) {
            return;
        }
        restores.holdsNow(RestorePlanner.committed(after), sequence);
    }
}
