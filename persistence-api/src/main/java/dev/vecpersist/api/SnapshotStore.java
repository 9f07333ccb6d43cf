package dev.vecpersist.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Where snapshots live: a directory, an object store. The manager talks only to this interface.
 *
 * <p>A snapshot becomes visible in {@link #list()} only when {@link Upload#commit} returns: data
 * and metadata appear together or not at all. Ids are issued by the store; every method that takes
 * an id rejects, before touching anything, an id the store did not issue. Implementations are
 * thread-safe.
 *
 * <p><b>Pieces</b> (optional, for differential snapshots): a store that returns true from
 * {@link #supportsPieces()} also keeps <em>pieces</em>, state files that snapshots share and list in
 * their {@link SnapshotMetadata#pieces()}. A piece is written with {@link #beginPiece()} and is
 * durable when {@link PieceUpload#commit(long, String)} returns; it is referenced only by the snapshots committed
 * after it. The store never deletes a piece by itself ({@link #delete} leaves pieces alone): the
 * manager deletes the pieces no listed snapshot references, under its lock, with
 * {@link #deletePiece}, and only when {@link #listing()} reports no unreadable metadata document. Piece ids are issued by the store, like snapshot ids, and every piece method
 * rejects, before touching anything, an id that is not of that shape. The defaults describe a store
 * without pieces (one written against the SPI before they existed): it keeps working for full
 * snapshots, and a differential one fails with {@link PiecesUnsupportedException} naming it.
 */
public interface SnapshotStore extends Closeable {

    /**
     * Starts a snapshot upload under a new id.
     *
     * @return the upload; nothing is visible until {@link Upload#commit}
     * @throws IOException when the storage fails
     */
    Upload begin() throws IOException;

    /**
     * Lists the committed snapshots whose metadata the store could read; see {@link #listing()} for
     * the documents it could not.
     *
     * @return every readable committed snapshot, newest first
     * @throws IOException when the storage fails
     */
    List<SnapshotMetadata> list() throws IOException;

    /**
     * Lists the committed snapshots together with the metadata documents the store found but could
     * not use ({@link UnreadableSnapshot}: damaged or truncated, of an unknown version, failing to
     * read, naming another id, or missing its data). The manager deletes pieces only after a
     * <em>complete</em> listing: while any document is reported it collects no piece, since the
     * pieces of a snapshot it cannot read may be the only copy of that snapshot's state.
     *
     * <p>The default returns {@link #list()} with nothing unreadable, which is right only for a
     * store that never skips a document it cannot read (it fails instead). A store that skips such
     * documents in {@link #list()} should override this method and report them: otherwise the
     * pieces only a skipped snapshot references are deleted at the next collection, and that
     * snapshot cannot be brought back by repairing its metadata.
     *
     * @return the readable snapshots, newest first, and the unreadable metadata documents
     * @throws IOException when the storage fails as a whole (e.g. the listing itself); a document
     *                     that alone fails to read may be reported as unreadable instead
     */
    default SnapshotListing listing() throws IOException {
        return new SnapshotListing(list(), List.of());
    }

    /**
     * Opens a committed snapshot's data for reading.
     *
     * @param id an id from {@link #list()}
     * @return the stored bytes; the caller closes the stream
     * @throws PersistenceException when the id is malformed or unknown
     * @throws IOException          when the storage fails
     */
    InputStream open(String id) throws IOException;

    /**
     * Deletes a committed snapshot's data and metadata, and nothing else.
     *
     * @param id an id from {@link #list()}
     * @throws PersistenceException when the id is malformed or unknown
     * @throws IOException          when the storage fails
     */
    void delete(String id) throws IOException;

    /**
     * Tells whether the store keeps pieces, which differential snapshots need.
     *
     * @return true when the piece methods below work; false (the default) for a store of full snapshots only
     */
    default boolean supportsPieces() {
        return false;
    }

    /**
     * Starts a piece upload under a new id.
     *
     * @return the upload; the piece exists only after {@link PieceUpload#commit(long, String)}
     * @throws PiecesUnsupportedException when the store keeps no pieces (the default)
     * @throws IOException                when the storage fails
     */
    default PieceUpload beginPiece() throws IOException {
        throw new PiecesUnsupportedException(this);
    }

    /**
     * Opens a committed piece for reading.
     *
     * @param pieceId an id from {@link PieceUpload#id()} or {@link #listPieces()}
     * @return the stored bytes; the caller closes the stream
     * @throws PiecesUnsupportedException when the store keeps no pieces (the default)
     * @throws PersistenceException       when the id is malformed or no such piece exists
     * @throws IOException                when the storage fails
     */
    default InputStream openPiece(String pieceId) throws IOException {
        throw new PiecesUnsupportedException(this);
    }

    /**
     * Deletes a committed piece, whether or not a snapshot still lists it (the caller decides that).
     *
     * @param pieceId an id from {@link #listPieces()}
     * @throws PiecesUnsupportedException when the store keeps no pieces (the default)
     * @throws PersistenceException       when the id is malformed or no such piece exists
     * @throws IOException                when the storage fails
     */
    default void deletePiece(String pieceId) throws IOException {
        throw new PiecesUnsupportedException(this);
    }

    /**
     * Lists the committed pieces, referenced or not.
     *
     * @return their ids, in no particular order; empty (the default) for a store without pieces
     * @throws IOException when the storage fails
     */
    default List<String> listPieces() throws IOException {
        return List.of();
    }

    /** One piece being written. Not thread-safe. */
    interface PieceUpload extends Closeable {
        /** {@return the piece id the store issued} */
        String id();

        /**
         * The stream for the piece's bytes.
         *
         * @return the stream; {@link #commit} closes it
         * @throws IOException when the storage fails
         */
        OutputStream data() throws IOException;

        /**
         * Makes the piece durable and visible to {@link #openPiece} and {@link #listPieces()}.
         *
         * @param size   the number of bytes written, which the store checks
         * @param sha256 their SHA-256, lower-case hex, which the store checks where it can
         * @throws IOException when the storage fails or does not hold what was written; the piece is then not visible
         */
        void commit(long size, String sha256) throws IOException;

        /**
         * Without a commit, removes whatever was written. Harmless after commit.
         *
         * @throws IOException when the storage fails
         */
        @Override
        void close() throws IOException;
    }

    /** One snapshot being written. Not thread-safe. */
    interface Upload extends Closeable {
        /** {@return the id the store issued} */
        String id();

        /**
         * The stream for the snapshot's data.
         *
         * @return the stream; {@link #commit} closes it
         * @throws IOException when the storage fails
         */
        OutputStream data() throws IOException;

        /**
         * Makes data and metadata visible together.
         *
         * @param metadata what to store about the snapshot; its id must be {@link #id()}
         * @return the metadata as stored
         * @throws IOException when the storage fails; the snapshot is then not visible
         */
        SnapshotMetadata commit(SnapshotMetadata metadata) throws IOException;

        /**
         * Without a commit, removes whatever was written. Harmless after commit.
         *
         * @throws IOException when the storage fails
         */
        @Override
        void close() throws IOException;
    }

    /**
     * Creates stores of one kind, discovered with {@link java.util.ServiceLoader} under
     * {@code META-INF/services/dev.vecpersist.api.SnapshotStore$Provider}.
     */
    interface Provider {
        /** {@return the name users select the store by, e.g. {@code "filesystem"} or {@code "s3"}} */
        String name();

        /**
         * Opens a store from its settings alone: a store with local files reads its directory from
         * them (the filesystem store's {@code dir}), a remote one its bucket, prefix or endpoint.
         *
         * @param settings store-specific settings, e.g. {@code dir}, or {@code bucket} and {@code prefix}
         * @return the store; the manager closes it
         * @throws PersistenceException when a setting is missing or invalid (naming it)
         * @throws IOException          when the store cannot be reached or set up
         */
        SnapshotStore open(Map<String, String> settings) throws IOException;
    }
}
