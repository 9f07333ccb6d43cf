package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.ValueLimits;

/**
 * Names, magic and limits of the MessagePack layout, shared by the writer and the reader. The value
 * limits are {@link ValueLimits}'; the writer refuses what the reader's limits would reject, so that
 * whatever saves also loads.
 */
final class MsgpackLayout {

    /** The layout version written; readers refuse newer ones. */
    static final int VERSION = 1;

    /**
     * The file's first bytes: the MessagePack fixstr {@code "VECPERSIST"} (0xa0 | 10, then ASCII),
     * a complete object of its own, so generic MessagePack tools read the whole file.
     */
    static final byte[] MAGIC = {(byte) 0xaa, 'V', 'E', 'C', 'P', 'E', 'R', 'S', 'I', 'S', 'T'};

    /** Value of the header's {@code "format"} key. */
    static final String FORMAT_MARKER = "vecpersist-msgpack";

    // header keys, in the order the writer puts them ("format" and "version" first, so that a
    // reader sees the version before any field whose meaning a newer layout may have changed)
    static final String FORMAT = "format";
    static final String VERSION_KEY = "version";
    static final String KIND = "kind";
    static final String DIMENSION = "dimension";
    static final String METRIC = "metric";
    static final String ENTRY_COUNT = "entryCount";
    static final String DELETION_COUNT = "deletionCount";
    static final String CREATED_AT = "createdAt";
    static final String USER_METADATA = "userMetadata";
    static final String INDEX_STATE = "indexState";
    /** Number of keys the writer puts in the header map. */
    static final int HEADER_KEYS = 10;

    static final String KIND_FULL = "full";
    static final String KIND_DELTA = "delta";

    /** The trailer map's only key. */
    static final String CHECKSUM = "checksum";

    /** An entry is the array {@code [id, vector, metadata]}. */
    static final int ENTRY_FIELDS = 3;

    /** Largest dimension: a hostile header cannot make a reader allocate more than 4 MiB per vector. */
    static final int MAX_DIMENSION = ValueLimits.MAX_DIMENSION;
    /** Longest id, in UTF-8 bytes. */
    static final int MAX_ID_BYTES = ValueLimits.MAX_ID_BYTES;
    /** Longest metadata string, in UTF-8 bytes. */
    static final int MAX_STRING_BYTES = ValueLimits.MAX_STRING_BYTES;
    /** Longest metadata map key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = ValueLimits.MAX_KEY_BYTES;
    /** Most elements in one metadata map or list. */
    static final int MAX_CONTAINER = ValueLimits.MAX_CONTAINER;
    /** Largest index state, in bytes. */
    static final int MAX_INDEX_STATE = 1 << 30;
    /** Most keys in the header or trailer map (the writer uses 10; later minor additions fit). */
    static final int MAX_HEADER_KEYS = 64;

    private MsgpackLayout() {
    }
}
