package dev.vecpersist.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance goals (issue 17), each a ratio of two rows measured in the same run, checked
 * against its target: "met", "not met", or "-" when a row was not measured.
 */
final class Goals {

    /**
     * One goal: {@code ours / baseline} must stay at or under {@code atMost}. A baseline written
     * {@code "max(a,b)"} is the slower of two rows (for "within 1.3x of the slower stage alone").
     * A goal stated as "our row at least X times faster than a peer" is the same ratio, inverted.
     */
    record Goal(String row, String ours, String baseline, double atMost, String target) {
    }

    static final List<Goal> ALL = List.of(
            new Goal("msgpack load", "load msgpack", "rawRead", 3.0, "<= 3x raw FileChannel read into float[]"),
            new Goal("msgpack save", "save msgpack", "rawWriteFsync", 1.5, "<= 1.5x raw FileChannel write + fsync"),
            new Goal("json save", "save json", "jacksonStreamingWrite", 0.5, "<= 0.5x hand-written Jackson streaming writer"),
            new Goal("json save", "save json", "langchain4jSerializeToFile", 1 / 3.0, ">= 3x faster than LangChain4j serializeToFile"),
            new Goal("json save", "save json", "springAiSave", 1 / 3.0, ">= 3x faster than Spring AI SimpleVectorStore.save"),
            new Goal("json load", "load json", "jacksonStreamingRead", 0.8, "<= 0.8x hand-written Jackson streaming reader"),
            new Goal("json load", "load json", "langchain4jFromFile", 1 / 4.0, ">= 4x faster than LangChain4j fromFile"),
            new Goal("sqlite load", "load sqlite", "jdbcRead", 1.2, "<= 1.2x hand-written JDBC read loop"),
            new Goal("compressed saves", "saveCompressed msgpack+lz4", "save msgpack", 1.3, "msgpack+lz4 <= 1.3x msgpack uncompressed"),
            new Goal("compressed saves", "saveCompressed json+gzip", "max(save json,compressOnly json+gzip)", 1.3,
                    "json+gzip <= 1.3x the slower of serialising, compressing"),
            new Goal("compressed saves", "saveCompressed json+lz4", "max(save json,compressOnly json+lz4)", 1.3,
                    "json+lz4 <= 1.3x the slower of serialising, compressing"),
            new Goal("compressed loads", "loadCompressed json+gzip", "max(load json,decompressOnly json+gzip)", 1.3,
                    "json+gzip <= 1.3x the slower of parsing, decompressing"),
            new Goal("compressed loads", "loadCompressed json+lz4", "max(load json,decompressOnly json+lz4)", 1.3,
                    "json+lz4 <= 1.3x the slower of parsing, decompressing"),
            new Goal("compressed loads", "loadCompressed msgpack+lz4", "max(load msgpack,decompressOnly msgpack+lz4)", 1.3,
                    "msgpack+lz4 <= 1.3x the slower of parsing, decompressing"),
            new Goal("compressed loads", "loadCompressed msgpack+gzip", "max(load msgpack,decompressOnly msgpack+gzip)", 1.3,
                    "msgpack+gzip <= 1.3x the slower of parsing, decompressing"));

    private Goals() {
    }

    /** {@return the baseline's {mean, error} at n (the slower row's, for a max), or null when a row it needs was not measured} */
    static double[] baseline(Map<BenchmarksReport.Key, double[]> s, String baseline, int n) {
        if (baseline.startsWith("max(")) {
            double[] max = null;
            for (String part : baseline.substring(4, baseline.length() - 1).split(",")) {
                double[] v = s.get(new BenchmarksReport.Key(part, n));
                if (v == null) {
                    return null;
                }
                max = max == null || v[0] > max[0] ? v : max;
            }
            return max;
        }
        return s.get(new BenchmarksReport.Key(baseline, n));
    }

    /**
     * The goals table in Markdown: one line per goal and N. A verdict whose two rows have an error
     * above 10% of their mean says it is inconclusive.
     */
    static String table(Map<BenchmarksReport.Key, double[]> s, Iterable<Integer> ns) {
        StringBuilder md = new StringBuilder("| goal | N | target | measured | verdict |\n|---|---|---|---|---|\n");
        for (Goal g : ALL) {
            for (int n : ns) {
                double[] ours = s.get(new BenchmarksReport.Key(g.ours(), n));
                double[] base = baseline(s, g.baseline(), n);
                if (ours == null || base == null || base[0] <= 0) {
                    continue;
                }
                double ratio = ours[0] / base[0];
                String measured = g.target().startsWith(">=")
                        ? String.format(Locale.ROOT, "%.2fx faster (%.2f x %s)", 1 / ratio, ratio, g.baseline())
                        : String.format(Locale.ROOT, "%.2f x %s", ratio, g.baseline());
                String verdict = ratio <= g.atMost() ? "met" : "not met";
                if (!(ours[1] <= 0.1 * ours[0]) || !(base[1] <= 0.1 * base[0])) {
                    verdict += " (inconclusive: error > 10% of the mean)";
                }
                md.append("| ").append(String.join(" | ", List.of(g.row(), String.format(Locale.ROOT, "%,d", n), g.target(),
                        measured, verdict))).append(" |\n");
            }
        }
        return md.toString();
    }
}
