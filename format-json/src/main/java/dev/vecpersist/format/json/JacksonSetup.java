package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.vecpersist.api.ValueLimits;

/**
 * The module's one Jackson factory: fast float formatting and parsing, and limits that make
 * hostile input fail fast instead of exhausting memory. Thread-safe.
 */
final class JacksonSetup {

    /**
     * Longest string token (id, metadata value; the base64 index state is read in chunks) Jackson
     * accepts, in chars: {@link ValueLimits#MAX_STRING_BYTES}, as chars never outnumber UTF-8 bytes.
     * The exact limits (UTF-8 bytes, valid Unicode) are checked on every entry after parsing.
     */
    static final int MAX_STRING_LENGTH = ValueLimits.MAX_STRING_BYTES;
    /** Longest object key (metadata keys) Jackson accepts: {@link ValueLimits#MAX_KEY_BYTES}. */
    static final int MAX_NAME_LENGTH = ValueLimits.MAX_KEY_BYTES;
    /** Longest number literal; a float32 needs about 16 chars, a double about 25. */
    static final int MAX_NUMBER_LENGTH = 400;
    /** State object, vectors array and entry object above the metadata's own levels. */
    static final int MAX_NESTING = ValueLimits.MAX_DEPTH + 4;

    static final JsonFactory FACTORY = JsonFactory.builder()
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

    private JacksonSetup() {
    }
}
