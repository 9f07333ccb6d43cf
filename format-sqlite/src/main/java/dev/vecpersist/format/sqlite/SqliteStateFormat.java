package dev.vecpersist.format.sqlite;

import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSink;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.StateWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * State files that are real SQLite databases (xerial sqlite-jdbc), which the {@code sqlite3} shell
 * and any SQLite library can open and query:
 *
 * <pre>
 * PRAGMA application_id = 0x56504552 ("VPER");  PRAGMA user_version = layout version
 * meta(key TEXT PRIMARY KEY, value TEXT)                     header fields, then the checksum
 * vectors(id TEXT PRIMARY KEY, vector BLOB, metadata TEXT)   little-endian float32; a JSON object
 * deleted(id TEXT PRIMARY KEY)                               deltas only
 * </pre>
 *
 * <p>Entries keep their order ({@code ORDER BY rowid}). Metadata is stored as JSON text by
 * {@link dev.vecpersist.json.MetadataJson}, so {@code json_extract(metadata, '$.key')} works
 * in queries. The format {@linkplain #needsFile() needs a file}: the manager hands the writer a
 * fresh temporary path and renames the finished database into place; with a codec, it compresses
 * the finished file. See this module's README for the schema and example queries.
 *
 * <p>Stateless and thread-safe; each writer or reader is for one thread.
 */
public final class SqliteStateFormat implements StateFormat {

    /** The layout version, stored as {@code PRAGMA user_version}. */
    public static final int VERSION = SqliteSchema.VERSION;
    /** {@code PRAGMA application_id} of every VecPersist database: "VPER" in ASCII. */
    public static final int APPLICATION_ID = SqliteSchema.APPLICATION_ID;

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** Creates the format; {@link java.util.ServiceLoader} does so under the name {@code "sqlite"}. */
    public SqliteStateFormat() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String fileExtension() {
        return "sqlite";
    }

    @Override
    public int formatVersion() {
        return VERSION;
    }

    /** True when the content starts with SQLite's 16-byte header string {@code "SQLite format 3\0"}. */
    @Override
    public boolean recognizes(byte[] head, int length) {
        if (Math.min(length, head.length) < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Always true: SQLite reads and writes files, not streams. */
    @Override
    public boolean needsFile() {
        return true;
    }

    /**
     * Creates the database file and writes the header; the rest is written in the same transaction,
     * committed by {@code finish}.
     *
     * @param sink   a {@link StateSink.ToFile} whose path does not exist yet
     * @param header the header
     * @throws IllegalArgumentException when the sink is a {@link StateSink.ToStream} (left untouched)
     * @throws java.nio.file.FileAlreadyExistsException when the file exists
     * @throws IOException              when SQLite cannot create the database
     */
    @Override
    public StateWriter newWriter(StateSink sink, StateHeader header) throws IOException {
        if (!(sink instanceof StateSink.ToFile target)) {
            throw new IllegalArgumentException("the sqlite format writes files, not streams: " + sink.displayName());
        }
        return new SqliteStateWriter(target.file(), header);
    }

    /**
     * Opens the database read-only, validates it and reads the header.
     *
     * @param source a {@link StateSource.FromFile}
     * @throws dev.vecpersist.api.CorruptedStateException     when the file is not a valid VecPersist
     *         SQLite state (not a database, malformed, foreign, wrong schema), naming the source
     * @throws dev.vecpersist.api.IncompatibleStateException when its layout version is newer than {@link #VERSION}
     * @throws IllegalArgumentException                      when the source is a {@link StateSource.FromStream} (left untouched)
     * @throws IOException                                   when the file cannot be read
     */
    @Override
    public StateReader newReader(StateSource source) throws IOException {
        if (!(source instanceof StateSource.FromFile origin)) {
            throw new IllegalArgumentException("the sqlite format reads files, not streams: " + source.displayName());
        }
        return new SqliteStateReader(origin.file(), origin.displayName());
    }
}
