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
 * State files that are real SQLite databases, queryable with the {@code sqlite3} shell:
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)          header fields and the checksum
 * vectors(id TEXT PRIMARY KEY, vector BLOB NOT NULL,       vector: little-endian float32
 *         metadata TEXT NOT NULL)                           metadata: JSON
 * deleted(id TEXT PRIMARY KEY)                              deltas only
 * </pre>
 *
 * Entries keep their order ({@code ORDER BY rowid}). The format needs a file: the manager hands the
 * writer a fresh temporary path and renames the finished database into place; with a codec, it
 * compresses the finished file. Stateless and thread-safe; see this module's README.
 */
public final class SqliteStateFormat implements StateFormat {

    /** The layout version, stored as {@code PRAGMA user_version}. */
    public static final int VERSION = 1;
    /** {@code PRAGMA application_id}: "VPER". */
    public static final int APPLICATION_ID = 0x56504552;

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

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

    @Override
    public boolean recognizes(byte[] head, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean needsFile() {
        return true;
    }

    @Override
    public StateWriter newWriter(StateSink sink, StateHeader header) throws IOException {
        if (sink.file() == null) {
            throw new IllegalArgumentException("the sqlite format writes files, not streams");
        }
        return new SqliteStateWriter(sink.file(), header);
    }

    @Override
    public StateReader newReader(StateSource source) throws IOException {
        if (source.file() == null) {
            throw new IllegalArgumentException("the sqlite format reads files, not streams");
        }
        return new SqliteStateReader(source.file(), source.displayName());
    }
}
