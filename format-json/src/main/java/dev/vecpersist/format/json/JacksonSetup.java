package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import dev.vecpersist.json.JsonSetup;

/**
 * The module's Jackson factory: persistence-json's {@link JsonSetup#FACTORY}, so that state files,
 * the SQLite format's metadata and the core's documents are read under one set of limits
 * (fast float formatting and parsing, repeated keys refused, lengths from
 * {@link dev.vecpersist.api.ValueLimits}). Thread-safe.
 */
final class JacksonSetup {

    /** Longest number literal accepted: {@link JsonSetup#MAX_NUMBER_LENGTH}. */
    static final int MAX_NUMBER_LENGTH = JsonSetup.MAX_NUMBER_LENGTH;

    /** Longest string accepted, in chars: {@link JsonSetup#MAX_STRING_LENGTH}. */
    static final int MAX_STRING_LENGTH = JsonSetup.MAX_STRING_LENGTH;

    static final JsonFactory FACTORY = JsonSetup.FACTORY;

    private JacksonSetup() {
    }
}
