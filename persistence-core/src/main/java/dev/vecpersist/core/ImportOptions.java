package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link DatabasePersistence#importFrom(ImportOptions)} reads and how it applies it.
 *
 * <pre>{@code
 * p.importFrom(ImportOptions.from(Path.of("backup.msgpack.lz4")).mode(ImportOptions.Mode.MERGE).build());
 * }</pre>
 *
 * @param path           the state file (format and codec are detected from its content)
 * @param mode           replace the database, or merge into it
 * @param verifyChecksum whether to verify the file's checksum (default true)
 * @param progress       progress listener
 */
public record ImportOptions(Path path, Mode mode, boolean verifyChecksum, ProgressListener progress) {

    /** How imported entries are applied. */
    public enum Mode {
        /** The database afterwards holds exactly the file's entries. */
        REPLACE,
        /** The file's entries are upserted by id; other entries stay. */
        MERGE
    }

    /**
     * Validates the path and mode; a null listener becomes {@link ProgressListener#NONE}.
     *
     * @param path           the state file
     * @param mode           replace or merge
     * @param verifyChecksum whether to verify the file's checksum
     * @param progress       progress listener, or null for none
     * @throws NullPointerException when path or mode is null
     */
    public ImportOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /**
     * Starts options for an import from {@code path}.
     *
     * @param path the state file
     * @return a builder: mode {@link Mode#REPLACE}, checksum verified, no progress listener
     */
    public static Builder from(Path path) {
        return new Builder(path);
    }

    /** Builds {@link ImportOptions}. */
    public static final class Builder {
        private final Path path;
        private Mode mode = Mode.REPLACE;
        private boolean verifyChecksum = true;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(Path path) {
            this.path = path;
        }

        /**
         * Sets the mode.
         *
         * @param value see {@link ImportOptions#mode()}
         * @return this builder
         */
        public Builder mode(Mode value) { this.mode = value; return this; }

        /**
         * Sets whether the checksum is verified.
         *
         * @param verify see {@link ImportOptions#verifyChecksum()}
         * @return this builder
         */
        public Builder verifyChecksum(boolean verify) { this.verifyChecksum = verify; return this; }

        /**
         * Sets the progress listener.
         *
         * @param listener see {@link ImportOptions#progress()}
         * @return this builder
         */
        public Builder progress(ProgressListener listener) { this.progress = listener; return this; }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws NullPointerException when the mode was set to null
         */
        public ImportOptions build() {
            return new ImportOptions(path, mode, verifyChecksum, progress);
        }
    }
}
