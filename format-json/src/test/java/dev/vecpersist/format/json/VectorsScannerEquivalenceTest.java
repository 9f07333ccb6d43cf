package dev.vecpersist.format.json;

import dev.vecpersist.api.VectorEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanner must change nothing but speed: every input, valid or damaged, reads exactly as the
 * token reader alone reads it — the same entries bit for bit, or the same exception with the same
 * message (positions included). So must splitting the array between two parsing threads: each
 * input is also read with small split windows, so that the helper thread takes part in every state.
 */
class VectorsScannerEquivalenceTest {

    private static final int DIMENSION = 3;
    private static final String[] SPACE = {" ", "\t", "\n", "\r\n", "\r", " \n\t "};
    private static final String MUTATIONS = "{}[],:\"\\ -0123456789eE.+nulx\n\r\u00e9";

    /** What a read gives: its entries, deletions and checksum, or the failure's type and message. */
    private record Outcome(List<VectorEntry> entries, List<String> deletions, String checksum, String failure) {
    }

    private static Outcome read(byte[] bytes, boolean scan) {
        return read(bytes, scan, SplittingScanner.WINDOW);
    }

    private static Outcome read(byte[] bytes, boolean scan, int splitWindow) {
        List<VectorEntry> entries = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        try (JsonStateReader reader = new JsonStateReader(new ByteArrayInputStream(bytes), "test.json", scan, splitWindow)) {
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                entries.add(e);
            }
            for (String id = reader.nextDeletion(); id != null; id = reader.nextDeletion()) {
                deletions.add(id);
            }
            return new Outcome(entries, deletions, reader.storedChecksum(), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(entries, deletions, null, e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static void assertSame(byte[] bytes) {
        Outcome scanned = read(bytes, true);
        Outcome tokens = read(bytes, false);
        assertThat(scanned).as("%s", new String(bytes, StandardCharsets.UTF_8)).isEqualTo(tokens);
        for (int window : SMALL_WINDOWS) {
            assertThat(read(bytes, true, window)).as("split window %d: %s", window, new String(bytes, StandardCharsets.UTF_8))
                    .isEqualTo(tokens);
        }
    }

    /** Split windows of a few entries or less: the helper thread parses part of nearly every state. */
    private static final int[] SMALL_WINDOWS = {24, 400};

    private static String space(Random r) {
        return r.nextInt(4) == 0 ? SPACE[r.nextInt(SPACE.length)] : "";
    }

    /** A float as one of the many texts a JSON number may give it, exact or not. */
    private static String number(Random r) {
        float f = Float.intBitsToFloat(r.nextInt(10) == 0 ? r.nextInt() : Float.floatToRawIntBits(r.nextFloat() * 4 - 2));
        if (!Float.isFinite(f)) {
            f = 1.5f;
        }
        return switch (r.nextInt(12)) {
            case 0 -> Float.toString(f).replace("E", r.nextBoolean() ? "e" : "E").replace("E3", "E+3");
            case 1 -> new BigDecimal(f).toPlainString(); // exact: often longer than the fast limit
            case 2 -> Long.toString(r.nextLong() >> r.nextInt(64)); // integers of every length
            case 3 -> r.nextBoolean() ? "-0" : "0";
            case 4 -> "-0.0";
            case 5 -> Double.toString(r.nextGaussian());
            case 6 -> r.nextInt(1000) + "e" + (r.nextInt(90) - 45);
            case 7 -> { // a midpoint between two floats, and just off it: rounding must be exact
                float a = Math.abs(f);
                BigDecimal mid = new BigDecimal(a).add(new BigDecimal(Math.nextUp(a))).divide(BigDecimal.valueOf(2));
                int off = r.nextInt(3) - 1;
                yield mid.add(BigDecimal.valueOf(off, 60)).toString();
            }
            case 8 -> "1" + "0".repeat(r.nextInt(25)); // integers beyond a long
            case 9 -> "0." + "0".repeat(r.nextInt(50)) + (1 + r.nextInt(9)); // tiny, also below float range
            default -> Float.toString(f);
        };
    }

    private static String id(Random r, int i) {
        return switch (r.nextInt(8)) {
            case 0 -> "\"\u00fc\u65e5\uD83D\uDE80-" + i + "\"";
            case 1 -> "\"esc\\u0041\\\"" + i + "\"";
            default -> "\"id-" + i + "\"";
        };
    }

    private static String metadata(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "null";
            case 1 -> "{}";
            case 2 -> "{" + space(r) + "\"k\"" + space(r) + ":" + space(r) + r.nextInt(100) + space(r) + "}";
            case 3 -> "{\"s\":\"x\\n\\\"}{[y\",\"n\":[1," + space(r) + "{\"a\":null}],\"d\":-1.5e3}";
            default -> "{\"index\":" + r.nextInt(1000) + ",\"category\":\"c" + r.nextInt(3) + "\"}";
        };
    }

    private static String entry(Random r, int i) {
        List<String> fields = new ArrayList<>();
        fields.add("\"id\"" + space(r) + ":" + space(r) + id(r, i));
        StringBuilder v = new StringBuilder("[").append(space(r));
        for (int k = 0; k < DIMENSION; k++) {
            v.append(k > 0 ? "," + space(r) : "").append(number(r)).append(space(r));
        }
        fields.add("\"vector\"" + space(r) + ":" + space(r) + v.append("]"));
        if (r.nextInt(4) > 0) {
            fields.add("\"metadata\"" + space(r) + ":" + space(r) + metadata(r));
        }
        if (r.nextInt(20) == 0) {
            fields.add("\"note\":{\"x\":[1]}"); // unknown to the scanner
        }
        java.util.Collections.shuffle(fields, r);
        return "{" + space(r) + String.join("," + space(r), fields) + space(r) + "}";
    }

    private static String state(Random r, int entries) {
        // now and then a byte order mark: positions after the hand-over count it as Jackson does
        StringBuilder s = new StringBuilder(r.nextInt(8) == 0 ? "\uFEFF" : "").append("{\"version\":\"2.0.0\",\"format\":\"vecpersist-json\",\"kind\":\"delta\",")
                .append(space(r)).append("\"options\":{\"dimension\":").append(DIMENSION).append(",\"metric\":\"cosine\"},")
                .append("\"stats\":{\"count\":").append(entries).append(",\"dimension\":").append(DIMENSION)
                .append(",\"metric\":\"cosine\"},").append(space(r)).append("\"timestamp\":5,\"vectors\":").append(space(r)).append("[");
        for (int i = 0; i < entries; i++) {
            s.append(i > 0 ? space(r) + "," : "").append(space(r)).append(entry(r, i));
        }
        return s.append(space(r)).append("],\"deleted\":[\"q\"],\"checksum\":\"crc32c:00000000\"}").toString();
    }

    @Test
    void validStatesReadTheSame() {
        Random r = new Random(17);
        for (int i = 0; i < 2_000; i++) {
            assertSame(state(r, r.nextInt(6)).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void damagedStatesFailTheSame() {
        Random r = new Random(18);
        for (int i = 0; i < 6_000; i++) {
            byte[] valid = state(r, 1 + r.nextInt(4)).getBytes(StandardCharsets.UTF_8);
            int at = 120 + r.nextInt(valid.length - 120); // in or around the vectors
            String text = new String(valid, StandardCharsets.UTF_8);
            int cut = Math.min(at, text.length());
            String damaged = switch (r.nextInt(4)) {
                case 0 -> text.substring(0, cut);
                case 1 -> text.substring(0, cut) + text.substring(Math.min(cut + 1, text.length()));
                case 2 -> text.substring(0, cut) + MUTATIONS.charAt(r.nextInt(MUTATIONS.length())) + text.substring(cut);
                default -> text.substring(0, cut) + MUTATIONS.charAt(r.nextInt(MUTATIONS.length()))
                        + text.substring(Math.min(cut + 1, text.length()));
            };
            assertSame(damaged.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void invalidUtf8InAnIdFailsTheSame() {
        String head = "{\"version\":\"2.0.0\",\"options\":{\"dimension\":1,\"metric\":\"dot\"},\"stats\":{\"count\":1},"
                + "\"timestamp\":1,\"vectors\":[{\"id\":\"";
        String tail = "\",\"vector\":[1]}],\"checksum\":\"c\"}";
        byte[][] ids = {
                {(byte) 0xc3}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xff},
                {(byte) 0xe2, (byte) 0x82, (byte) 0xac}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x9a, (byte) 0x80}};
        for (byte[] id : ids) {
            byte[] h = head.getBytes(StandardCharsets.UTF_8);
            byte[] t = tail.getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[h.length + id.length + t.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(id, 0, all, h.length, id.length);
            System.arraycopy(t, 0, all, h.length + id.length, t.length);
            assertSame(all);
        }
    }

    @Test
    void manyNumbersParseToTheSameBits() {
        Random r = new Random(19);
        StringBuilder s = new StringBuilder("{\"version\":\"2.0.0\",\"options\":{\"dimension\":64,\"metric\":\"dot\"},"
                + "\"stats\":{\"count\":0},\"timestamp\":1,\"vectors\":[");
        for (int i = 0; i < 1_500; i++) {
            s.append(i > 0 ? "," : "").append("{\"id\":\"").append(i).append("\",\"vector\":[");
            for (int k = 0; k < 64; k++) {
                String n = number(r);
                // keep every number in range and short enough for the scanner, so no entry is handed over
                if (n.length() > 90 || Math.abs(Double.parseDouble(n)) > 1e38) {
                    n = "0.5";
                }
                s.append(k > 0 ? "," : "").append(n);
            }
            s.append("]}");
        }
        byte[] bytes = s.append("],\"checksum\":\"c\"}").toString().getBytes(StandardCharsets.UTF_8);
        Outcome scanned = read(bytes, true);
        assertThat(scanned.failure()).isNull();
        assertThat(scanned.entries()).hasSize(1_500);
        assertThat(scanned).isEqualTo(read(bytes, false));
        assertThat(read(bytes, true, 4_096)).isEqualTo(scanned);
    }

    @Test
    void entriesLargerThanTheReadBufferAndSplitReads() {
        // an entry of ~200 KB (one long metadata string) among small ones, fed one to seven bytes at a time
        String big = "x".repeat(200_000);
        String text = "{\"version\":\"2.0.0\",\"options\":{\"dimension\":2,\"metric\":\"dot\"},\"stats\":{\"count\":3},"
                + "\"timestamp\":1,\"vectors\":[{\"id\":\"a\",\"vector\":[1,2]},\r\n{\"id\":\"b\",\"vector\":[3.5,-4e-3],"
                + "\"metadata\":{\"big\":\"" + big + "\"}},\r{\"id\":\"c\",\"vector\":[5,6]}],\"checksum\":\"c\"}";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<VectorEntry> entries = new ArrayList<>();
        try (JsonStateReader reader = new JsonStateReader(new Trickle(bytes), "test.json", true)) {
            for (VectorEntry e = reader.nextEntry(); e != null; e = reader.nextEntry()) {
                entries.add(e);
            }
            assertThat(reader.storedChecksum()).isEqualTo("c");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(entries).extracting(VectorEntry::id).containsExactly("a", "b", "c");
        assertThat(entries.get(1).metadata()).containsEntry("big", big);
        assertThat(read(bytes, true)).isEqualTo(read(bytes, false));
        // damaged after the big entry: the position reported is the file's
        assertSame(text.replace("[5,6]", "[5,6,]").getBytes(StandardCharsets.UTF_8));
    }

    /** Hands out a few bytes per read, as a slow network stream does. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private int pos;
        private final Random random = new Random(5);

        Trickle(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(7)), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
