package dev.vecpersist.format.json;

import dev.vecpersist.json.MetadataJson;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Map;

/**
 * An entry's metadata object read from its own bytes by a parser of the module's factory, for the
 * {@link VectorsScanner}. Nesting is checked by {@link MetadataJson} itself, so the object reads
 * the same as inside the file; null for anything the token reader must judge instead.
 */
final class MetadataBytes {

    private MetadataBytes() {
    }

    static Map<String, Object> read(byte[] b, int off, int len) {
        try (JsonParser p = JacksonSetup.FACTORY.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> metadata = MetadataJson.read(p);
            return p.nextToken() == null ? metadata : null;
        } catch (IOException | RuntimeException e) {
            return null; // the token reader reads it again and reports what is wrong
        }
    }
}
