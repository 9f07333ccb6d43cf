package dev.vecpersist.format.json;

import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.StateReader;
import dev.vecpersist.api.StateSource;
import dev.vecpersist.api.VectorEntry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Everything a reader gives, without checksum verification: for hand-made and damaged inputs. */
record RawRead(StateHeader header, List<VectorEntry> entries, List<String> deletions, String checksum) {

    static RawRead of(String json) throws IOException {
        return of(json.getBytes(StandardCharsets.UTF_8));
    }

    static RawRead of(byte[] bytes) throws IOException {
        return of(new ByteArrayInputStream(bytes), "test.json");
    }

    static RawRead of(InputStream in, String name) throws IOException {
        try (StateReader reader = new JsonStateFormat().newReader(StateSource.ofStream(in, name))) {
            List<VectorEntry> entries = new ArrayList<>();
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                entries.add(e);
            }
            List<String> deletions = new ArrayList<>();
            for (String id = reader.nextDeletion(); id != null; id = reader.nextDeletion()) {
                deletions.add(id);
            }
            return new RawRead(reader.header(), entries, deletions, reader.storedChecksum());
        }
    }
}
