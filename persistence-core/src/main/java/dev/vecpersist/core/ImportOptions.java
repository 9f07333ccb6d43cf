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

    /** Validates the path and mode; a null listener becomes {@link ProgressListener#NONE}. */
    public ImportOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** Starts options for an import from {@code path} (mode REPLACE unless set). */
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

        /** @param value see {@link ImportOptions#mode()} @return this builder */
        public Builder mode(Mode value) { this.mode = value; return this; }

        /** @param verify see {@link ImportOptions#verifyChecksum()} @return this builder */
        public Builder verifyChecksum(boolean verify) { this.verifyChecksum = verify; return this; }

        /** @param listener see {@link ImportOptions#progress()} @return this builder */
        public Builder progress(ProgressListener listener) { this.progress = listener; return this; }

        /** @return the options */
        public ImportOptions build() {
            return new ImportOptions(path, mode, verifyChecksum, progress);
        }
    }
}
