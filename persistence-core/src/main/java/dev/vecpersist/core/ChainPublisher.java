package dev.vecpersist.core;

import dev.vecpersist.api.ChainStore;
import dev.vecpersist.api.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes a writer's committed chain to a {@link ChainStore} for replicas on other machines: the
 * state files the store lacks are uploaded (and verified by the store), then the manifest, last, in
 * one request, so a replica that reads the manifest finds every file it lists. A file no longer
 * listed is recorded as superseded at the time the manifest that dropped it was published and
 * deleted only after the grace period, so that a replica that read the older manifest can still
 * fetch it.
 *
 * <p>What the store holds is learnt from a listing at the first publish and after every failure
 * (reconciling: whatever the local manifest lists and the store lacks, or holds in another size, is
 * uploaded; whatever it does not list is superseded from then on); in between it is tracked. A failure
 * is recorded and thrown; the caller decides whether it matters (a commit does not fail for it).
 * Not thread-safe: the manager calls it under its operation lock; {@link #status()} may be called
 * from any thread.
 */
final class ChainPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainPublisher.class);

    private final ChainStore store;
    private final BaseDirectory dir;
    private final Duration grace;
    private final Clock clock;
    /** The objects the store holds, name to size; null when unknown (first publish, or after a failure). */
    private Map<String, Long> remote;
    /** The manifest bytes last written to the store by this publisher; null when unknown. */
    private byte[] publishedBytes;
    /** Objects no published manifest lists any more, with the time they stopped being listed. */
    private final Map<String, Instant> superseded = new LinkedHashMap<>();
    private volatile PublishStatus status = new PublishStatus(Optional.empty(), null, Optional.empty());

    ChainPublisher(ChainStore store, BaseDirectory dir, Duration grace, Clock clock) {
        this.store = store;
        this.dir = dir;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * Publishes {@code committed}, the manifest in force in the base directory, if the store does not
     * hold it yet, then deletes what was superseded longer than the grace period ago.
     *
     * @throws PersistenceException when an upload, its verification or the manifest write fails; the
     *                              store then still holds the previously published version
     */
    void publish(Manifest committed) {
        PublishStatus before = status;
        Instant pendingSince = before.pendingSince() != null ? before.pendingSince() : clock.instant();
        status = new PublishStatus(before.published(), pendingSince, before.lastFailure());
        try {
            byte[] manifest = Files.readAllBytes(dir.manifestFile());
            if (remote == null) {
                remote = listing();
                publishedBytes = store.readManifest().orElse(null);
            }
            for (String name : committed.fileNames()) {
                Path file = dir.resolve(name);
                long size = Files.size(file);
                Long held = remote.get(name);
                if (held == null || held != size) {
                    store.upload(name, file);
                    remote.put(name, size);
                    superseded.remove(name);
                }
            }
            if (!Arrays.equals(manifest, publishedBytes)) {
                store.writeManifest(manifest);
                publishedBytes = manifest;
                LOG.debug("published {} to {}", CommitVersion.of(committed), store.describe());
            }
        } catch (IOException | RuntimeException e) {
            remote = null; // reconcile with a fresh listing next time
            publishedBytes = null;
            PersistenceException failure = e instanceof PersistenceException pe ? pe
                    : new PersistenceException("publishing " + CommitVersion.of(committed) + " to " + store.describe()
                    + " failed: " + e.getMessage(), dir.path(), e);
            status = new PublishStatus(before.published(), pendingSince, Optional.of(failure));
            throw failure;
        }
        status = new PublishStatus(Optional.of(CommitVersion.of(committed)), null, Optional.empty());
        Instant now = clock.instant();
        // a file any retained version names is not superseded (the published manifest's history names it)
        Set<String> listed = new HashSet<>(committed.referencedFileNames());
        for (String name : remote.keySet()) {
            if (!listed.contains(name)) {
                superseded.putIfAbsent(name, now);
            }
        }
        deleteExpired(now, listed);
    }

    /** Deletes the superseded objects whose grace period is over; a failure is logged and retried next time. */
    private void deleteExpired(Instant now, Set<String> listed) {
        for (Iterator<Map.Entry<String, Instant>> it = superseded.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (listed.contains(e.getKey())) {
                it.remove();
                continue;
            }
            if (e.getValue().plus(grace).isAfter(now)) {
                continue;
            }
            try {
                store.delete(e.getKey());
                remote.remove(e.getKey());
                it.remove();
                LOG.debug("deleted {} from {}: superseded at {}", e.getKey(), store.describe(), e.getValue());
            } catch (IOException | RuntimeException failure) {
                LOG.warn("deleting the superseded {} from {} failed (retried at the next publish): {}", e.getKey(),
                        store.describe(), failure.toString());
            }
        }
    }

    private Map<String, Long> listing() throws IOException {
        Map<String, Long> found = new HashMap<>();
        for (ChainStore.StoredObject o : store.list()) {
            if (Manifest.STATE_FILE.matcher(o.name()).matches()) {
                found.put(o.name(), o.size());
            }
        }
        return found;
    }

    /** {@return where publishing stands} */
    PublishStatus status() {
        return status;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
