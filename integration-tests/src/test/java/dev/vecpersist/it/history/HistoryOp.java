package dev.vecpersist.it.history;

import dev.vecpersist.api.PersistenceException;
import dev.vecpersist.api.SnapshotMetadata;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.RetentionDecision;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.core.VersionInfo;
import dev.vecpersist.core.VersionNotFoundException;

import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One step of a generated history: applied to the real manager and to the model, checking what the
 * step itself returns. (After every step the test also checks the database's content and the
 * snapshot listing against the model.) A step that needs an existing entry or snapshot holds a
 * {@code pick}, resolved against the model when it runs, so a case prints and replays in full.
 */
sealed interface HistoryOp {

    /**
     * Applies the step.
     *
     * @param system the manager, database and clock
     * @param model  the expected state, updated to the step's outcome
     */
    void apply(HistorySystem system, HistoryModel model);

    /**
     * Inserts {@code entry}; when the database has entries, one pick in three updates an existing id
     * with the entry's values instead, and one in six inserts under a near twin of an existing id
     * (other case, other Unicode normalisation, a trailing space or NUL), which must stay a distinct entry.
     */
    record Put(int pick, VectorEntry entry) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            String existing = model.pickId(pick);
            String id = existing == null ? entry.id() : switch (pick % 6) {
                case 0, 3 -> existing;
                case 1 -> twin(existing, pick / 6);
                default -> entry.id();
            };
            VectorEntry e = new VectorEntry(id, entry.vector(), entry.metadata());
            system.db().insert(e);
            model.put(e);
            model.unsaved(true);
        }

        private static String twin(String id, int variant) {
            return switch (variant % 6) {
                case 0 -> id.toUpperCase(Locale.ROOT);
                case 1 -> id.toLowerCase(Locale.ROOT);
                case 2 -> Normalizer.normalize(id, Normalizer.Form.NFD);
                case 3 -> Normalizer.normalize(id, Normalizer.Form.NFC);
                case 4 -> id + " ";
                default -> id + "\u0000";
            };
        }
    }

    /** Deletes an existing id, or (odd picks) an id that is not there. */
    record Remove(int pick) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            String id = pick % 2 == 0 ? model.pickId(pick) : null;
            String target = id == null ? "absent-" + pick : id;
            boolean expected = model.remove(target);
            assertThat(system.db().delete(target)).as("delete(%s) reports whether it was there", target).isEqualTo(expected);
            if (expected) {
                model.unsaved(true);
            }
        }
    }

    /** {@code save()}: a full commit. */
    record Save() implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            Path written = system.manager().save();
            assertThat(written).exists();
            model.commit(system.clock().instant(), VersionInfo.Kind.FULL);
            model.unsaved(false);
        }
    }

    /**
     * {@code saveIncremental()}: a delta commit, a full one when the chain is long (compaction),
     * nothing when nothing changed; after loading a version older than the latest, always a full
     * commit of the database's content (docs/history.md: never a delta over a base the database does
     * not hold).
     */
    record SaveIncremental() implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            boolean olderVersion = model.holdsOlderVersion();
            Optional<Path> written = system.manager().saveIncremental();
            if (olderVersion) {
                assertThat(written).as("saveIncremental after loading an older version commits a new version").isPresent();
                model.commit(system.clock().instant(), VersionInfo.Kind.FULL);
            } else if (written.isEmpty()) {
                assertThat(model.committed()).as("saveIncremental wrote nothing: nothing changed since the last commit")
                        .isEqualTo(model.current());
            } else {
                model.commit(system.clock().instant(), null);
            }
            model.unsaved(false);
        }
    }

    /** {@code load()}: exactly the latest committed state; refused, changing nothing, before the first save. */
    record Load() implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            if (model.committed() == null) {
                assertThatThrownBy(() -> system.manager().load()).isInstanceOf(PersistenceException.class);
                return;
            }
            system.manager().load();
            model.replaceCurrent(model.committed());
            model.forgetOlderVersion();
            model.unsaved(false);
        }
    }

    /** Steps the clock (back, not at all, or forward up to 40 days), then {@code createSnapshot} with a name and metadata. */
    record CreateSnapshot(Duration clockStep, String name, Map<String, Object> metadata) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            system.clock().advance(clockStep);
            SnapshotMetadata m = system.manager().createSnapshot(name, metadata);
            // state headers date in epoch milliseconds (docs/file-formats.md)
            Instant dated = Instant.ofEpochMilli(system.clock().instant().toEpochMilli());
            assertThat(m.timestamp()).as("the snapshot is dated by the clock, to the millisecond").isEqualTo(dated);
            assertThat(m.vectorCount()).isEqualTo(model.current().size());
            model.snapshotCreated(m.id(), name, dated, metadata);
            assertThat(model.snapshotsNewestFirst()).as("the snapshot just created is never deleted").isNotEmpty();
            assertThat(model.snapshotsNewestFirst().get(0).id()).isEqualTo(m.id());
        }
    }

    /** Deletes a snapshot; with none, deleting an id the store never issued is refused and changes nothing. */
    record DeleteSnapshot(int pick) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            HistoryModel.Snapshot s = model.pickSnapshot(pick);
            if (s == null) {
                String unknown = UUID.randomUUID().toString();
                assertThatThrownBy(() -> system.manager().deleteSnapshot(unknown)).isInstanceOf(PersistenceException.class);
                return;
            }
            system.manager().deleteSnapshot(s.id());
            model.deleteSnapshots(List.of(s));
        }
    }

    /** Restores a snapshot: exactly its content; with none, an unknown id is refused and the database unchanged. */
    record RestoreSnapshot(int pick) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            HistoryModel.Snapshot s = model.pickSnapshot(pick);
            if (s == null) {
                String unknown = UUID.randomUUID().toString();
                assertThatThrownBy(() -> system.manager().restoreSnapshot(unknown)).isInstanceOf(PersistenceException.class);
                return;
            }
            system.manager().restoreSnapshot(s.id());
            model.replaceCurrent(s.content());
            model.forgetOlderVersion();
            model.unsaved(true);
        }
    }

    /**
     * Puts {@code policy} in force (reopening the manager when it differs; the database object stays)
     * and prunes, or only decides ({@code dryRun}); the decision must be the model's, verdict by verdict.
     */
    record Prune(RetentionPolicy policy, boolean dryRun) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            if (!policy.equals(system.policy())) {
                system.reopen(policy, false);
                model.forgetOlderVersion();
                model.unsaved(true);
            }
            model.policy(policy);
            List<HistoryModel.Snapshot> toDelete = model.toDelete();
            RetentionDecision d = system.manager().pruneSnapshots(dryRun);
            assertThat(d.deletedIds()).as("deleted by %s", policy)
                    .containsExactlyElementsOf(toDelete.stream().map(HistoryModel.Snapshot::id).toList());
            List<String> kept = model.snapshotsNewestFirst().stream().filter(s -> !toDelete.contains(s))
                    .map(HistoryModel.Snapshot::id).toList();
            assertThat(d.keptIds()).as("kept by %s", policy).containsExactlyElementsOf(kept);
            if (!dryRun) {
                model.deleteSnapshots(toDelete);
            }
        }
    }

    /**
     * Closes the manager and opens a new one, on the same database object or (when {@code fresh}) a
     * new empty one, writing another format and codec when they are not null (the chain and the
     * snapshot store then hold files of both: loads detect the format from the content).
     */
    record Reopen(boolean fresh, String format, String codec) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            system.reopen(system.policy(), fresh, format == null ? system.format() : format,
                    codec == null ? system.codec() : codec);
            if (fresh) {
                model.replaceCurrent(Map.of());
            }
            model.forgetOlderVersion();
            model.unsaved(true);
        }
    }

    /** Steps the clock (as before a snapshot: back, not at all, or forward), so that versions' times vary. */
    record StepClock(Duration step) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            system.clock().advance(step);
        }
    }

    /**
     * {@code loadVersion(n)}: one pick in five asks for a number no retained version has (0, negative,
     * past the latest, or dropped by the policy), which is refused with {@link VersionNotFoundException}
     * (a {@link PersistenceException} before the first commit) and changes nothing; otherwise a retained
     * version loads, exactly its content.
     */
    record LoadVersion(int pick) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            HistoryModel.Commit v = pick % 5 == 0 ? null : model.pickVersion(pick);
            if (v == null) {
                long unknown = model.unknownNumber(pick);
                assertThatThrownBy(() -> system.manager().loadVersion(unknown)).as("loadVersion(%s)", unknown)
                        .isInstanceOf(model.commits().isEmpty() ? PersistenceException.class : VersionNotFoundException.class);
                return;
            }
            system.manager().loadVersion(v.number());
            model.loadedVersion(v);
            // not the latest commit: the database differs from it, and the next saveIncremental writes
            model.unsaved(model.holdsOlderVersion());
        }
    }

    /**
     * {@code versionAsOf(t)} and {@code loadAsOf(t)}: t is a retained version's time moved by
     * {@code offset} (so sometimes just before it, or before every version: refused, nothing changes);
     * the version is the newest retained one committed at or before t.
     */
    record LoadAsOf(int pick, Duration offset) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            HistoryModel.Commit near = model.pickVersion(pick);
            Instant time = (near == null ? system.clock().instant() : near.dated()).plus(offset);
            HistoryModel.Commit v = model.asOf(time);
            if (v == null) {
                assertThatThrownBy(() -> system.manager().versionAsOf(time)).as("versionAsOf(%s)", time)
                        .isInstanceOf(near == null ? PersistenceException.class : VersionNotFoundException.class);
                assertThatThrownBy(() -> system.manager().loadAsOf(time)).as("loadAsOf(%s)", time)
                        .isInstanceOf(near == null ? PersistenceException.class : VersionNotFoundException.class);
                return;
            }
            assertThat(system.manager().versionAsOf(time).number()).as("versionAsOf(%s)", time).isEqualTo(v.number());
            system.manager().loadAsOf(time);
            model.loadedVersion(v);
            // not the latest commit: the database differs from it, and the next saveIncremental writes
            model.unsaved(model.holdsOlderVersion());
        }
    }

    /**
     * {@code restoreVersion(n)}: a retained version's content becomes the database's and is committed
     * as the next version, of kind RESTORE, dated by the clock; unknown numbers are refused as by
     * {@link LoadVersion}, changing nothing.
     */
    record RestoreVersion(int pick) implements HistoryOp {
        @Override
        public void apply(HistorySystem system, HistoryModel model) {
            HistoryModel.Commit v = pick % 5 == 0 ? null : model.pickVersion(pick);
            if (v == null) {
                long unknown = model.unknownNumber(pick);
                assertThatThrownBy(() -> system.manager().restoreVersion(unknown)).as("restoreVersion(%s)", unknown)
                        .isInstanceOf(model.commits().isEmpty() ? PersistenceException.class : VersionNotFoundException.class);
                return;
            }
            VersionInfo info = system.manager().restoreVersion(v.number());
            model.replaceCurrent(v.content());
            HistoryModel.Commit c = model.commit(system.clock().instant(), VersionInfo.Kind.RESTORE);
            assertThat(info.number()).as("the restore's version number").isEqualTo(c.number());
            assertThat(info.kind()).isEqualTo(VersionInfo.Kind.RESTORE);
            assertThat(info.time()).isEqualTo(c.dated());
            assertThat(info.entries()).isEqualTo(v.content().size());
            model.unsaved(false);
        }
    }
}
