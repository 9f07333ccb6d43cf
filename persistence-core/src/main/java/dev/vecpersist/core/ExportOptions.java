package dev.vecpersist.core;

import dev.vecpersist.api.ProgressListener;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link DatabasePersistence#export(ExportOptions)} writes: one self-contained state file.
 *
 * <pre>{@code
 * p.export(ExportOptions.to(Path.of("backup.msgpack.lz4")).format("msgpack").compression("lz4").build());
 * }</pre>
 *
 * @param path              the file to write (replaced atomically if it exists)
 * @param format            format name; null for the manager's format
 * @param compression       codec name or {@code "none"}; null for the manager's codec
 * @param compressionLevel  level, or null for the codec's default
 * @param includeIndexState whether the database's index state goes into the file
 * @param progress          progress listener
 */
public record ExportOptions(Path path, String format, String compression, Integer compressionLevel,
                            boolean includeIndexState, ProgressListener progress) {

    /**
     * Validates the path; a null listener becomes {@link ProgressListener#NONE}.
     *
     * @param path              the file to write
     * @param format            format name, or null for the manager's
     * @param compression       codec name or {@code "none"}, or null for the manager's
     * @param compressionLevel  level, or null for the codec's default
     * @param includeIndexState whether the database's index state goes into the file
     * @param progress          progress listener, or null for none
     * @throws NullPointerException when path is null
     */
    public ExportOptions {
        Objects.requireNonNull(path, "path");
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /**
     * Starts options for an export to {@code path}.
     *
     * @param path the file to write
     * @return a builder: the manager's format and codec, the codec's default level, index state included
     */
    public static Builder to(Path path) {
        return new Builder(path);
    }

    /** Builds {@link ExportOptions}. */
    public static final class Builder {
        private final Path path;
        private String format;
        private String compression;
        private Integer level;
        private boolean includeIndexState = true;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(Path path) {
            this.path = path;
        }

        /**
         * Sets the format.
         *
         * @param name see {@link ExportOptions#format()}
         * @return this builder
         */
        public Builder format(String name) { this.format = name; return this; }

        /**
         * Sets the codec.
         *
         * @param name see {@link ExportOptions#compression()}
         * @return this builder
         */
        public Builder compression(String name) { this.compression = name; return this; }

        /**
         * Sets the compression level.
         *
         * @param value see {@link ExportOptions#compressionLevel()}
         * @return this builder
         */
        public Builder compressionLevel(Integer value) { this.level = value; return this; }

        /**
         * Sets whether the index state is written (default true).
         *
         * @param include see {@link ExportOptions#includeIndexState()}
         * @return this builder
         */
        public Builder includeIndexState(boolean include) { this.includeIndexState = include; return this; }

        /**
         * Sets the progress listener.
         *
         * @param listener see {@link ExportOptions#progress()}
         * @return this builder
         */
        public Builder progress(ProgressListener listener) { this.progress = listener; return this; }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public ExportOptions build() {
            return new ExportOptions(path, format, compression, level, includeIndexState, progress);
        }
    }
}
