package dev.vecpersist.core;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifest's {@code "history"} field (manifest version 3):
 * {@code {"versions": [{"number", "time", "kind", "generation", "deltas"}...], "chains": [{"generation",
 * "base", "deltas"}...]}}, versions oldest first, times in ISO-8601 (UTC).
 */
final class VersionHistoryJson {

    private VersionHistoryJson() {
    }

    static void write(JsonGenerator g, VersionHistory h) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("versions");
        for (VersionHistory.Version v : h.versions()) {
            g.writeStartObject();
            g.writeNumberField("number", v.number());
            g.writeStringField("time", v.time().toString());
            g.writeStringField("kind", v.kind().name());
            g.writeNumberField("generation", v.generation());
            g.writeNumberField("deltas", v.deltas());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("chains");
        for (VersionHistory.Chain c : h.olderChains()) {
            g.writeStartObject();
            g.writeNumberField("generation", c.generation());
            g.writeFieldName("base");
            Manifest.writeRef(g, c.base());
            g.writeArrayFieldStart("deltas");
            for (Manifest.FileRef d : c.deltas()) {
                Manifest.writeRef(g, d);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Reads what {@link #write} wrote; a malformed field throws a runtime exception (class cast, null,
     * illegal argument, date-time) that the manifest reader reports as a malformed manifest.
     */
    @SuppressWarnings("unchecked")
    static VersionHistory read(Object field) {
        Map<String, Object> doc = (Map<String, Object>) field;
        List<VersionHistory.Version> versions = new ArrayList<>();
        for (Object o : (List<?>) doc.get("versions")) {
            Map<String, Object> v = (Map<String, Object>) o;
            versions.add(new VersionHistory.Version(Manifest.number(v, "number"), Instant.parse((String) v.get("time")),
                    VersionInfo.Kind.valueOf((String) v.get("kind")), Manifest.number(v, "generation"),
                    Math.toIntExact(Manifest.number(v, "deltas"))));
        }
        List<VersionHistory.Chain> chains = new ArrayList<>();
        for (Object o : (List<?>) doc.get("chains")) {
            Map<String, Object> c = (Map<String, Object>) o;
            List<Manifest.FileRef> deltas = new ArrayList<>();
            for (Object d : (List<?>) c.get("deltas")) {
                deltas.add(Manifest.ref(d));
            }
            chains.add(new VersionHistory.Chain(Manifest.number(c, "generation"), Manifest.ref(c.get("base")), deltas));
        }
        return new VersionHistory(versions, chains);
    }
}
