package dev.vecpersist.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A flat namespace of objects under one prefix of an object store, where a writer publishes its
 * committed chain (state files and manifest) for read replicas on other machines (docs/replicas.md).
 * The manager talks only to this interface; a store module implements it beside its
 * {@link SnapshotStore}.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>Names are plain file names matching {@link #NAME} (no separators): every method rejects
 *       another string with an {@link IllegalArgumentException} before any request, so a name never
 *       becomes another key.</li>
 *   <li>{@link #upload} makes an object visible whole or not at all, and returns only once the store
 *       is verified to hold what was sent: its size and its SHA-256 (as reported by the store, or read
 *       back). Uploading a name that exists replaces it.</li>
 *   <li>{@link #writeManifest} replaces the manifest object in one request (a single PUT), so a
 *       reader sees the previous manifest or the new one, never a mix. It is not part of {@link #list()}.</li>
 *   <li>Objects are never modified after upload by the manager; a name is deleted only when no
 *       published manifest needs it.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface ChainStore extends Closeable {

    /** The names objects may have: a file name of letters, digits, '.', '_' and '-'. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /**
     * Uploads {@code file} as the object {@code name} and verifies the store holds its bytes.
     *
     * @param name the object's name
     * @param file the local file to upload
     * @throws PersistenceException when the store holds something else (naming the object and what
     *                              differs) or refuses the upload; nothing is then left under the name
     *                              that was not there before, or the previous object stays
     * @throws IOException          when the file cannot be read or the store fails
     */
    void upload(String name, Path file) throws IOException;

    /**
     * Opens an object for reading.
     *
     * @param name the object's name
     * @return its content (the caller closes it), or empty when there is no such object
     * @throws IOException when the store fails
     */
    Optional<InputStream> open(String name) throws IOException;

    /**
     * Lists the objects (not the manifest).
     *
     * @return every object under the prefix, in no particular order
     * @throws IOException when the store fails
     */
    List<StoredObject> list() throws IOException;

    /**
     * Deletes an object; one that does not exist is fine.
     *
     * @param name the object's name
     * @throws IOException when the store fails
     */
    void delete(String name) throws IOException;

    /**
     * Replaces the manifest object with {@code content}, in one request.
     *
     * @param content the manifest's bytes
     * @throws IOException when the store fails; the previous manifest then stays
     */
    void writeManifest(byte[] content) throws IOException;

    /**
     * Reads the manifest object.
     *
     * @return its bytes, or empty when none was written
     * @throws IOException when the store fails
     */
    Optional<byte[]> readManifest() throws IOException;

    /** {@return where the store is, for messages, e.g. {@code s3://bucket/prefix/chain/}} */
    String describe();

    /**
     * One object of the store.
     *
     * @param name         its name
     * @param size         its size in bytes
     * @param lastModified when the store last wrote it
     */
    record StoredObject(String name, long size, Instant lastModified) {
    }

    /**
     * Rejects a string that is not an object name.
     *
     * @param name the name
     * @return {@code name}
     * @throws IllegalArgumentException when it does not match {@link #NAME}
     */
    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an object name of a chain store: " + name);
        }
        return name;
    }

    /**
     * Creates chain stores of one kind, discovered with {@link java.util.ServiceLoader} under
     * {@code META-INF/services/dev.vecpersist.api.ChainStore$Provider}.
     */
    interface Provider {
        /** {@return the name users select the store by, e.g. {@code "s3"}} */
        String name();

        /**
         * Opens a store from its settings alone (those its {@link SnapshotStore.Provider} takes).
         *
         * @param settings store-specific settings, e.g. {@code bucket} and {@code prefix}
         * @return the store; the manager closes it
         * @throws PersistenceException when a setting is missing or invalid (naming it)
         * @throws IOException          when the store cannot be reached
         */
        ChainStore open(Map<String, String> settings) throws IOException;
    }
}
