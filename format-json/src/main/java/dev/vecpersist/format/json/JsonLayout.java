package dev.vecpersist.format.json;

/** Names and limits of the JSON layout, shared by the writer and the reader. */
final class JsonLayout {

    /** The layout version written, as the major of {@code "version"}. */
    static final int VERSION = 2;
    /** {@code "version"} as written. */
    static final String VERSION_TEXT = VERSION + ".0.0";
    /** The version of the reference module's files: no kind, timestamp after the vectors, SHA-256 checksum. */
    static final int REFERENCE_VERSION = 1;
    /** Value of {@code "format"} in our files. */
    static final String FORMAT_MARKER = "vecpersist-json";
    /** Largest dimension accepted on read, so that a hostile header cannot make us allocate gigabytes per vector. */
    static final int MAX_DIMENSION = dev.vecpersist.api.ValueLimits.MAX_DIMENSION;
    /** Largest index state accepted on read, in bytes (decoded). */
    static final int MAX_INDEX_STATE = 1 << 30;

    static final String VERSION_FIELD = "version";
    static final String FORMAT = "format";
    static final String KIND = "kind";
    static final String OPTIONS = "options";
    static final String STATS = "stats";
    static final String DIMENSION = "dimension";
    static final String METRIC = "metric";
    static final String COUNT = "count";
    static final String DELETIONS = "deletions";
    static final String TIMESTAMP = "timestamp";
    static final String USER_METADATA = "userMetadata";
    static final String INDEX_STATE = "indexState";
    static final String VECTORS = "vectors";
    static final String ID = "id";
    static final String VECTOR = "vector";
    static final String METADATA = "metadata";
    static final String DELETED = "deleted";
    static final String CHECKSUM = "checksum";

    static final String KIND_FULL = "full";
    static final String KIND_DELTA = "delta";

    private JsonLayout() {
    }
}
