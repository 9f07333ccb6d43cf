package dev.vecpersist.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The helper thread really parses part of the array, and what it parsed reads as the leader's own. */
class SplittingScannerTest {

    private static byte[] vectors(int entries, String separator) {
        StringBuilder s = new StringBuilder("{\"vectors\":[");
        for (int i = 0; i < entries; i++) {
            s.append(i > 0 ? "," + separator : "").append("{\"id\":\"e").append(i).append("\",\"vector\":[")
                    .append(i).append(".25,-0.5e-3],\"metadata\":")
                    // what looks like the end of an entry but is not: a string, a list of objects
                    .append(i % 2 == 0 ? "{\"s\":\"},{\"}}" : "{\"list\":[{\"id\":1},{\"id\":2}]}}");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static VectorsScanner leader(InputStream in) throws IOException {
        JsonParser p = JacksonSetup.FACTORY.createParser(in);
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
        VectorsScanner scanner = VectorsScanner.takeOver(p, in, 2);
        p.close();
        return scanner;
    }

    @Test
    void theHelpersEntriesArriveInOrderWithTheLeadersPositions() throws IOException {
        int n = 2_000;
        byte[] bytes = vectors(n, "\r\n ");
        VectorsScanner alone = leader(new ByteArrayInputStream(bytes));
        List<VectorEntry> expected = new ArrayList<>();
        for (VectorEntry e = alone.next(); e != null; e = alone.next()) {
            expected.add(e);
        }
        assertThat(expected).hasSize(n);

        VectorsScanner split = leader(new ByteArrayInputStream(bytes));
        List<VectorEntry> entries = new ArrayList<>();
        try (SplittingScanner s = new SplittingScanner(split, 8_192)) {
            for (VectorEntry e = s.next(); e != null; e = s.next()) {
                entries.add(e);
            }
            assertThat(s.fromHelper()).as("entries parsed by the helper").isGreaterThan(n / 8);
            assertThat(s.helperEnded()).isTrue();
        }
        assertThat(entries).isEqualTo(expected);
        assertThat(split.returned()).isEqualTo(alone.returned());
        assertThat(split.handOverOffset()).isEqualTo(alone.handOverOffset());
        assertThat(split.handOverLine()).isEqualTo(alone.handOverLine()).isEqualTo(n);
        assertThat(split.handOverColumn()).isEqualTo(alone.handOverColumn());
    }

    @Test
    void aWindowOfZeroParsesOnTheScannersThreadAlone() throws IOException {
        byte[] bytes = vectors(500, "");
        VectorsScanner alone = leader(new ByteArrayInputStream(bytes));
        try (SplittingScanner s = new SplittingScanner(alone, 0)) {
            int read = 0;
            while (s.next() != null) {
                read++;
            }
            assertThat(read).isEqualTo(500);
            assertThat(s.fromHelper()).isZero();
            assertThat(s.helperEnded()).isTrue();
        }
        String old = System.getProperty(SplittingScanner.WINDOW_PROPERTY);
        try {
            System.setProperty(SplittingScanner.WINDOW_PROPERTY, "0");
            assertThat(SplittingScanner.configuredWindow()).isZero();
            System.setProperty(SplittingScanner.WINDOW_PROPERTY, "-5");
            assertThat(SplittingScanner.configuredWindow()).isEqualTo(SplittingScanner.WINDOW);
            System.clearProperty(SplittingScanner.WINDOW_PROPERTY);
            assertThat(SplittingScanner.configuredWindow()).isEqualTo(SplittingScanner.WINDOW);
        } finally {
            if (old != null) {
                System.setProperty(SplittingScanner.WINDOW_PROPERTY, old);
            }
        }
    }

    @Test
    void aDamagedEntryInTheHelpersPartIsLeftToTheLeader() throws IOException {
        String text = new String(vectors(600, "\n"), StandardCharsets.UTF_8).replace("\"e500\",\"vector\":[500.25,", "\"e500\",\"vector\":[500.25,,");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        VectorsScanner alone = leader(new ByteArrayInputStream(bytes));
        while (alone.next() != null) {
            // to the damaged entry
        }
        VectorsScanner split = leader(new ByteArrayInputStream(bytes));
        try (SplittingScanner s = new SplittingScanner(split, 4_096)) {
            int read = 0;
            for (VectorEntry e = s.next(); e != null; e = s.next()) {
                assertThat(e.id()).isEqualTo("e" + read++);
            }
            assertThat(read).isEqualTo(500);
            assertThat(s.fromHelper()).isGreaterThan(0);
        }
        assertThat(split.returned()).isEqualTo(alone.returned()).isEqualTo(500);
        assertThat(split.handOverOffset()).isEqualTo(alone.handOverOffset());
        assertThat(split.handOverLine()).isEqualTo(alone.handOverLine()).isEqualTo(500);
        assertThat(split.handOverColumn()).isEqualTo(alone.handOverColumn());
        assertThat(new String(split.remainder().readAllBytes(), StandardCharsets.UTF_8)).startsWith(",\n{\"id\":\"e500\"");
    }
}
