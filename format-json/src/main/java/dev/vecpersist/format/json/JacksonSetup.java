package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.vecpersist.api.MetadataValues;

/**
 * The module's one Jackson factory: fast float formatting and parsing, and limits that make
 * hostile input fail fast instead of exhausting memory. Thread-safe.
 */
final class JacksonSetup {

    /** Longest string (id, metadata value, base64 aside) accepted on read and written, in chars. */
    static final int MAX_STRING_LENGTH = 64 << 20;
    /** Longest object key (metadata keys), in chars. */
    static final int MAX_NAME_LENGTH = 1 << 20;
    /** Longest number literal; a float32 needs about 16 chars, a double about 25. */
    static final int MAX_NUMBER_LENGTH = 400;
    /** State object, vectors array and entry object above the metadata's own levels. */
    static final int MAX_NESTING = MetadataValues.MAX_DEPTH + 4;

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
