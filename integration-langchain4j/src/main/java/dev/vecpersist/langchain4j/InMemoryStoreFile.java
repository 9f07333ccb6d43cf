package dev.vecpersist.langchain4j;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.PersistenceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Streams the entries of a file written by LangChain4j's {@code InMemoryEmbeddingStore.serializeToFile}:
 * <pre>{@code
 * {"entries": [{"id": "...", "embedding": {"vector": [0.1, ...]},
 *               "embedded": {"text": "...", "metadata": {"metadata": {"key": "value"}}}}]}
 * }</pre>
 * Types are read as {@code InMemoryEmbeddingStore.fromFile} reads them: the JSON does not record
 * them, so a whole number within the int range becomes an {@code Integer}, a larger one a
 * {@code Long}, a decimal a {@code Double} and a UUID a {@code String}. Fields this reader does not
 * know are skipped.
 */
final class InMemoryStoreFile {

    /** One entry of the file. */
    record Entry(String id, float[] vector, TextSegment segment) {
    }

    /** Receives the entries, in file order. */
    interface Sink {
        void accept(Entry entry);
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private InMemoryStoreFile() {
    }

    /**
     * Reads every entry of {@code file}, streaming.
     *
     * @param file a file written by {@code InMemoryEmbeddingStore.serializeToFile}
     * @param sink receives each entry
     * @return how many entries were read
     * @throws CorruptedStateException naming the file when its content is not such a file (truncated,
     *                                 malformed, missing fields)
     * @throws PersistenceException    naming the file when it cannot be read
     */
    static long read(Path file, Sink sink) {
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the document");
            long count = 0;
            boolean sawEntries = false;
            JsonToken next;
            while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("entries")) {
                    p.skipChildren();
                    continue;
                }
                sawEntries = true;
                expect(p, t, JsonToken.START_ARRAY, "entries");
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    expect(p, t, JsonToken.START_OBJECT, "entry " + count);
                    sink.accept(entry(p, count));
                    count++;
                }
            }
            expect(p, next, JsonToken.END_OBJECT, "the end of the document");
            if (!sawEntries) {
                throw new CorruptedStateException("not an InMemoryEmbeddingStore file: no \"entries\" array", file, null);
            }
            return count;
        } catch (Malformed | JsonProcessingException e) {
            // JsonProcessingException: malformed JSON, a file that ends early, a nesting bomb
            throw new CorruptedStateException("not a readable InMemoryEmbeddingStore file: " + e.getMessage(), file, e);
        } catch (NoSuchFileException e) {
            throw new PersistenceException("no such file", file, e);
        } catch (IOException e) {
            throw new PersistenceException("cannot read: " + e.getMessage(), file, e);
        }
    }

    private static Entry entry(JsonParser p, long index) throws IOException {
        String id = null;
        float[] vector = null;
        TextSegment segment = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case "embedding" -> vector = embedding(p, t, index);
                case "embedded" -> segment = t == JsonToken.VALUE_NULL ? null : segment(p, t, index);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isEmpty() || vector == null) {
            throw new Malformed("entry " + index + " lacks an id or an embedding vector");
        }
        return new Entry(id, vector, segment);
    }

    private static float[] embedding(JsonParser p, JsonToken t, long index) throws IOException {
        expect(p, t, JsonToken.START_OBJECT, "embedding of entry " + index);
        float[] vector = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            if (field.equals("vector")) {
                vector = floats(p, t, index);
            } else {
                p.skipChildren();
            }
        }
        return vector;
    }

    private static float[] floats(JsonParser p, JsonToken t, long index) throws IOException {
        expect(p, t, JsonToken.START_ARRAY, "vector of entry " + index);
        float[] buf = new float[512];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw new Malformed("vector of entry " + index + " holds " + t + " at " + p.currentLocation());
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p.getFloatValue();
        }
        return Arrays.copyOf(buf, n);
    }

    private static TextSegment segment(JsonParser p, JsonToken t, long index) throws IOException {
        expect(p, t, JsonToken.START_OBJECT, "embedded of entry " + index);
        String text = null;
        Map<String, Object> metadata = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            if (field.equals("text") && t == JsonToken.VALUE_STRING) {
                text = p.getText();
            } else if (field.equals("metadata") && t == JsonToken.START_OBJECT) {
                metadataHolder(p, metadata, index);
            } else {
                p.skipChildren();
            }
        }
        if (text == null) {
            throw new Malformed("embedded of entry " + index + " has no text");
        }
        try {
            return TextSegment.from(text, new Metadata(metadata));
        } catch (IllegalArgumentException e) {
            throw new Malformed("entry " + index + ": " + e.getMessage());
        }
    }

    /** {@code {"metadata": {...}}}: LangChain4j's Metadata object wraps its map in a field. */
    private static void metadataHolder(JsonParser p, Map<String, Object> into, long index) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!field.equals("metadata")) {
                p.skipChildren();
                continue;
            }
            expect(p, t, JsonToken.START_OBJECT, "metadata of entry " + index);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                into.put(key, value(p, p.nextToken(), key, index));
            }
        }
    }

    private static Object value(JsonParser p, JsonToken t, String key, long index) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> p.getIntValue();
                case LONG -> p.getLongValue();
                default -> throw new Malformed("metadata '" + key + "' of entry " + index + " is out of the long range");
            };
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            default -> throw new Malformed("metadata '" + key + "' of entry " + index + " is " + t
                    + "; LangChain4j metadata holds strings and numbers");
        };
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new Malformed(what + " should start with " + expected + ", found " + actual + " at " + p.currentLocation());
        }
    }

    /** Content that is not an InMemoryEmbeddingStore file; turned into a CorruptedStateException naming the file. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }
}
