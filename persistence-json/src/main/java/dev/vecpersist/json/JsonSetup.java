package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.vecpersist.api.ValueLimits;

/**
 * The one Jackson factory of every VecPersist JSON document (state files, manifests, snapshot
 * metadata, audit lines): fast float formatting and parsing, repeated keys refused, and read limits
 * from {@link ValueLimits} that make hostile input fail fast instead of exhausting memory. Parsers
 * and generators leave the streams they are given open: the caller owns them. Thread-safe.
 */
public final class JsonSetup {

    /**
     * Longest string token (id, metadata value; a base64 index state is read in chunks) Jackson
     * accepts, in chars: {@link ValueLimits#MAX_STRING_BYTES}, as chars never outnumber UTF-8 bytes.
     * The exact limits (UTF-8 bytes, valid Unicode) are checked where values enter.
     */
    public static final int MAX_STRING_LENGTH = ValueLimits.MAX_STRING_BYTES;
    /** Longest object key (metadata keys) Jackson accepts: {@link ValueLimits#MAX_KEY_BYTES}. */
    public static final int MAX_NAME_LENGTH = ValueLimits.MAX_KEY_BYTES;
    /** Longest number literal; a float32 needs about 16 chars, a double about 25. */
    public static final int MAX_NUMBER_LENGTH = 400;
    /** The metadata's own levels ({@link ValueLimits#MAX_DEPTH}) and the document's above them. */
    public static final int MAX_NESTING = ValueLimits.MAX_DEPTH + 4;

    /** The factory. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            // shortest round-tripping float text (Schubfach) and FastDoubleParser: about 2x faster
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // a repeated key would make what loads differ from what was saved
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // the caller owns the streams
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();

    private JsonSetup() {
    }
}
