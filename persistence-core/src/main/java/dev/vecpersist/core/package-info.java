/**
 * The persistence manager, {@link dev.vecpersist.core.DatabasePersistence}, and the embedded
 * {@link dev.vecpersist.core.VectorDB}.
 *
 * <p>The manager's operations are documented in the role interfaces it implements:
 * {@link dev.vecpersist.core.SaveOperations} (saves, exports, auto-save),
 * {@link dev.vecpersist.core.LoadOperations} (loads, imports),
 * {@link dev.vecpersist.core.SnapshotOperations}, {@link dev.vecpersist.core.PublishOperations},
 * {@link dev.vecpersist.core.ReplicaOperations} (read-only managers),
 * {@link dev.vecpersist.core.DirectoryOperations} (committed files, re-encryption) and
 * {@link dev.vecpersist.core.VersionOperations} (versions, point-in-time recovery). A component that
 * needs only one role can be typed as that interface.
 *
 * <p>Where to look inside (package-private parts; the manager is a facade over them):
 * <ul>
 *   <li>{@code ManagerParts}: builds the parts below for a writer or a replica (releasing what it took
 *       when that fails) and releases them in order on close.</li>
 *   <li>{@code OperationGate}: what every operation passes through: the read-only checks, the audit
 *       record, the operation lock and the closed flag; the auto-save and follow ticks; the close.</li>
 *   <li>{@code StateLoads}: which loader call a load, import or restore makes, and keeping the commit
 *       point and the saver in step with it.</li>
 *   <li>{@code BaseDirectory}: the directory lock, file names, temporary leftovers.</li>
 *   <li>{@code CommitPoint}: the manifest in force, the next generation, a commit and its rollback.</li>
 *   <li>{@code UnreferencedFileDeleter}: the one place that decides a state file may be deleted (none
 *       that a retained version names).</li>
 *   <li>{@code VersionHistory} (kept in the manifest), {@code VersionLoader} and the public
 *       {@code HistoryPolicy}: versions and which ones are retained.</li>
 *   <li>{@code ChainSaver} and {@code CompactionPolicy}: full and incremental saves, and when an
 *       incremental save writes a new base.</li>
 *   <li>{@code ChainLoader}: reads a chain or a state file into a staged state, applied in one step;
 *       takes no lock and deletes nothing.</li>
 *   <li>{@code SnapshotManager}: snapshots; the public {@code RetentionPolicy} decides which ones are
 *       deleted (by {@code RetentionSelector}), {@code SnapshotPruner} deletes them;
 *       {@code DifferentialSnapshots}, {@code PieceRestore} and {@code PieceCollector}: differential
 *       snapshots, their pieces, and deleting pieces no snapshot needs; {@code ChangeRelease}: when the
 *       database may forget deletions.</li>
 *   <li>{@code IncrementalRestore}, {@code RestorePlanner}, {@code KnownState}, {@code CommittedStates}:
 *       incremental restores (revert what changed since a known state, apply later pieces, check the
 *       state fingerprint).</li>
 *   <li>{@code DatabaseWriter}, {@code SaveFormat}: what is written and in which format, codec and level;
 *       {@code StateFileWriter} and {@code StateFileReader} turn it into bytes and back.</li>
 *   <li>{@code KeyRotation}: re-encryption, with {@code PieceReencryption} for differential snapshots;
 *       {@code Auditor}: the audit log's side of each operation.</li>
 *   <li>{@code ChainFollower}, {@code FollowSchedule}: a replica's refreshes; {@code ChainPublisher}: publishing
 *       to a chain store.</li>
 *   <li>{@code PersistenceSettings}: the values behind {@code PersistenceOptions} and their checks.</li>
 *   <li>{@code TrackedEntries} and {@code ChangeLog}: {@code VectorDB}'s entries with their sequence
 *       numbers, tombstones and changes in sequence order; {@code PriorStateTracker}: prior values;
 *       {@code Similarity} and {@code TopK}: its search.</li>
 * </ul>
 */
package dev.vecpersist.core;
