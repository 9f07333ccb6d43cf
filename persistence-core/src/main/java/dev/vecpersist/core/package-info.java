/**
 * The persistence manager, {@link dev.vecpersist.core.DatabasePersistence}, and the embedded
 * {@link dev.vecpersist.core.VectorDB}.
 *
 * <p>Where to look inside (package-private parts; the manager is a facade over them that holds the
 * operation lock and the lifecycle):
 * <ul>
 *   <li>{@code BaseDirectory}: the directory lock, file names, temporary leftovers.</li>
 *   <li>{@code CommitPoint}: the manifest in force, the next generation, a commit and its rollback.</li>
 *   <li>{@code UnreferencedFileDeleter}: the one place that decides a state file may be deleted.</li>
 *   <li>{@code ChainSaver} and {@code CompactionPolicy}: full and incremental saves, and when an
 *       incremental save writes a new base.</li>
 *   <li>{@code ChainLoader}: reads a chain or a state file into a staged state, applied in one step;
 *       takes no lock and deletes nothing.</li>
 *   <li>{@code SnapshotManager}: snapshots; the public {@code RetentionPolicy} decides which ones are
 *       deleted, {@code SnapshotPruner} deletes them.</li>
 *   <li>{@code DatabaseWriter}, {@code SaveFormat}: what is written and in which format, codec and level;
 *       {@code StateFileWriter} and {@code StateFileReader} turn it into bytes and back.</li>
 *   <li>{@code KeyRotation}: re-encryption; {@code Auditor}: the audit log's side of each operation.</li>
 * </ul>
 */
package dev.vecpersist.core;
