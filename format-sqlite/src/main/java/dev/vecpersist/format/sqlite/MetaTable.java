package dev.vecpersist.format.sqlite;

import com.fasterxml.jackson.core.JsonParseException;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.json.MetadataJson;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The header as rows of the {@code meta} table, and back. */
final class MetaTable {

    static final String FORMAT = "format";
    static final String VERSION = "version";
    static final String KIND = "kind";
    static final String DIMENSION = "dimension";
    static final String METRIC = "metric";
    static final String ENTRY_COUNT = "entryCount";
    static final String DELETION_COUNT = "deletionCount";
    static final String CREATED_AT = "createdAt";
    static final String USER_METADATA = "userMetadata";
    static final String INDEX_STATE = "indexState";
    static final String CHECKSUM = "checksum";

    /** Every key a reader looks at; others are ignored. */
    static final List<String> KEYS = List.of(FORMAT, VERSION, KIND, DIMENSION, METRIC, ENTRY_COUNT, DELETION_COUNT,
            CREATED_AT, USER_METADATA, INDEX_STATE, CHECKSUM);

    private MetaTable() {
    }

    /** The header's rows, in a readable order; {@code checksum} is added by {@code finish}. */
    static Map<String, String> encode(StateHeader h) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FORMAT, SqliteSchema.FORMAT_MARKER);
        m.put(VERSION, String.valueOf(SqliteSchema.VERSION));
        m.put(KIND, h.kind().name().toLowerCase(Locale.ROOT));
        m.put(DIMENSION, String.valueOf(h.dimension()));
        m.put(METRIC, h.metric().fileName());
        m.put(ENTRY_COUNT, String.valueOf(h.entryCount()));
        m.put(DELETION_COUNT, String.valueOf(h.deletionCount()));
        m.put(CREATED_AT, String.valueOf(h.createdAt().toEpochMilli()));
        m.put(USER_METADATA, MetadataJson.toJson(h.userMetadata()));
        if (h.indexState() != null) {
            m.put(INDEX_STATE, Base64.getEncoder().encodeToString(h.indexState()));
        }
        return m;
    }

    /**
     * The header from the {@code meta} rows.
     *
     * @param meta        the rows
     * @param userVersion {@code PRAGMA user_version}, the layout version
     * @param source      names the file in error messages
     * @throws CorruptedStateException when a row is missing or malformed
     */
    static StateHeader decode(Map<String, String> meta, int userVersion, String source) {
        Decoder d = new Decoder(meta, source);
        // application_id already identifies our databases; a format row, when there, must be ours
        if (meta.containsKey(FORMAT) && !SqliteSchema.FORMAT_MARKER.equals(meta.get(FORMAT))) {
            throw d.malformed("meta.format is '" + meta.get(FORMAT) + "', not '" + SqliteSchema.FORMAT_MARKER + "'");
        }
        long version = d.number(VERSION, 1, Integer.MAX_VALUE);
        if (version != userVersion) {
            throw d.malformed("meta.version " + version + " differs from PRAGMA user_version " + userVersion);
        }
        StateHeader.Kind kind = switch (d.text(KIND)) {
            case "full" -> StateHeader.Kind.FULL;
            case "delta" -> StateHeader.Kind.DELTA;
            default -> throw d.malformed("meta.kind is '" + meta.get(KIND) + "', neither 'full' nor 'delta'");
        };
        int dimension = (int) d.number(DIMENSION, 1, SqliteSchema.MAX_DIMENSION);
        Metric metric;
        try {
            metric = Metric.fromFileName(d.text(METRIC));
        } catch (IllegalArgumentException e) {
            throw d.malformed("meta.metric: " + e.getMessage());
        }
        long entries = d.number(ENTRY_COUNT, 0, Long.MAX_VALUE);
        long deletions = d.number(DELETION_COUNT, 0, Long.MAX_VALUE);
        if (kind == StateHeader.Kind.FULL && deletions != 0) {
            throw d.malformed("a full state announces " + deletions + " deletions");
        }
        Instant createdAt = Instant.ofEpochMilli(d.number(CREATED_AT, Long.MIN_VALUE, Long.MAX_VALUE));
        Map<String, Object> userMetadata;
        try {
            userMetadata = MetadataJson.fromJson(d.text(USER_METADATA));
        } catch (JsonParseException e) {
            throw d.malformed("meta.userMetadata: " + e.getOriginalMessage());
        }
        byte[] indexState = null;
        if (meta.containsKey(INDEX_STATE)) {
            try {
                indexState = Base64.getDecoder().decode(d.text(INDEX_STATE));
            } catch (IllegalArgumentException e) {
                throw d.malformed("meta.indexState is not base64: " + e.getMessage());
            }
        }
        return new StateHeader((int) version, kind, dimension, metric, entries, deletions, createdAt, userMetadata, indexState);
    }

    /** Typed access to the rows, with messages that name the file. */
    private record Decoder(Map<String, String> meta, String source) {

        String text(String key) {
            String v = meta.get(key);
            if (v == null) {
                throw malformed("meta has no '" + key + "'");
            }
            return v;
        }

        long number(String key, long min, long max) {
            String v = text(key);
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw malformed("meta." + key + " is '" + v + "', not an integer");
            }
            if (n < min || n > max) {
                throw malformed("meta." + key + " is " + n + ", outside " + min + ".." + max);
            }
            return n;
        }

        CorruptedStateException malformed(String what) {
            return new CorruptedStateException(source + ": malformed SQLite state: " + what);
        }
    }
}
