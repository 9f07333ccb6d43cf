package dev.vecpersist.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.api.MetadataVisitor;

import java.io.IOException;

/** Writes what a metadata walk reports to a Jackson generator, value for value. */
final class GeneratorVisitor implements MetadataVisitor<IOException> {

    private final JsonGenerator g;

    GeneratorVisitor(JsonGenerator g) {
        this.g = g;
    }

    @Override
    public void nullValue() throws IOException {
        g.writeNull();
    }

    @Override
    public void booleanValue(boolean value) throws IOException {
        g.writeBoolean(value);
    }

    @Override
    public void longValue(long value, Number source) throws IOException {
        g.writeNumber(value);
    }

    @Override
    public void doubleValue(double value, Number source) throws IOException {
        g.writeNumber(value);
    }

    @Override
    public void stringValue(String value, int utf8Bytes) throws IOException {
        g.writeString(value);
    }

    @Override
    public void startList(int size) throws IOException {
        g.writeStartArray();
    }

    @Override
    public void endList() throws IOException {
        g.writeEndArray();
    }

    @Override
    public void startMap(int size) throws IOException {
        g.writeStartObject();
    }

    @Override
    public void key(String key, int utf8Bytes) throws IOException {
        g.writeFieldName(key);
    }

    @Override
    public void endMap() throws IOException {
        g.writeEndObject();
    }
}
