package dev.vecpersist.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns JMH's JSON results ({@code -rf json}) into BENCHMARKS.md: the goals table (ratios measured
 * in the same run, met or not), then per row our mean +- error, the TypeScript reference module's
 * measured time and the ratio to each baseline, then the baselines and peers; plus machine, JDK and
 * the profiler notes kept in {@code benchmarks/profile-notes.md}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.vecpersist.benchmarks.BenchmarksReport jmh-result.json BENCHMARKS.md benchmarks/profile-notes.md</pre>
 */
public final class BenchmarksReport {

    /**
     * The TypeScript reference module's measured times, ms, at 1K/10K/100K on the same machine class
     * (384 dims); -1: not measured, -2: fails.
     */
    private static final Map<String, long[]> REFERENCE = Map.of(
            "save json", new long[] {111, 1740, -2},
            "save msgpack", new long[] {93, 1370, -1},
            "saveCompressed json+gzip", new long[] {347, 4240, -1},
            "load json", new long[] {30, 725, -1},
            "createSnapshot", new long[] {135, 2290, -1},
            "saveIncremental json", new long[] {95, 1400, -1});

    private static final String[] BASELINES = {"rawWrite", "rawWriteFsync", "rawRead", "jacksonDatabindWrite",
        "jacksonDatabindRead", "objectOutputStreamWrite", "objectInputStreamRead", "jacksonStreamingWrite",
        "jacksonStreamingRead", "msgpackHandWrittenWrite", "msgpackHandWrittenRead", "sqliteBulkInsert", "jdbcRead",
        "langchain4jSerializeToFile", "langchain4jFromFile", "springAiSave", "springAiLoad"};

    /** One measured score: benchmark row key and N. */
    record Key(String row, int n) {
    }

    private BenchmarksReport() {
    }

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args.length > 0 ? args[0] : "benchmarks/target/jmh-result.json");
        Path out = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        Path notes = Path.of(args.length > 2 ? args[2] : "benchmarks/profile-notes.md");
        String md = render(Files.readString(in), machine());
        if (Files.exists(notes)) {
            md += "\n" + Files.readString(notes);
        }
        Files.writeString(out, md);
        System.out.println("wrote " + out);
    }

    /** Parses JMH results into (row, N) -> {mean ms, error ms, iterations}. */
    static Map<Key, double[]> scores(String jmhJson) throws IOException {
        Map<Key, double[]> scores = new LinkedHashMap<>();
        for (JsonNode r : new ObjectMapper().readTree(jmhJson)) {
            String method = r.get("benchmark").asText();
            method = method.substring(method.lastIndexOf('.') + 1);
            JsonNode params = r.path("params");
            int n = params.path("n").asInt();
            String row = method;
            if (params.has("store")) {
                row = "langchain4j " + method + " " + params.get("store").asText();
            }
            if (params.has("format")) {
                row += " " + params.get("format").asText();
            }
            if (params.has("combination")) {
                row += " " + params.get("combination").asText();
            }
            if (params.has("encryption")) {
                row += " " + params.get("encryption").asText();
            }
            JsonNode metric = r.get("primaryMetric");
            String unit = metric.get("scoreUnit").asText();
            double error = metric.path("scoreError").asDouble(Double.NaN);
            int iterations = 0;
            for (JsonNode fork : metric.path("rawData")) {
                iterations += fork.size();
            }
            scores.put(new Key(row, n), new double[] {toMillis(metric.get("score").asDouble(), unit), toMillis(error, unit), iterations});
        }
        return scores;
    }

    /**
     * {@return " JMH forks ran with ...": the JVM options of the results' forks (the heap decides
     * whether a load meets a young collection), or "" when the results name none}. The benchmarks'
     * data directory is left out.
     */
    static String forkOptions(String jmhJson) throws IOException {
        Set<String> options = new TreeSet<>();
        for (JsonNode r : new ObjectMapper().readTree(jmhJson)) {
            List<String> args = new ArrayList<>();
            r.path("jvmArgs").forEach(a -> {
                if (!a.asText().startsWith("-Dvecpersist.bench.dir=")) {
                    args.add(a.asText());
                }
            });
            if (!args.isEmpty()) {
                options.add(String.join(" ", args));
            }
        }
        return options.isEmpty() ? "" : " JMH forks ran with `" + String.join("` / `", options) + "`.";
    }

    private static double toMillis(double score, String unit) {
        return switch (unit) {
            case "s/op" -> score * 1000;
            case "us/op" -> score / 1000;
            case "ns/op" -> score / 1_000_000;
            default -> score;
        };
    }

    static String render(String jmhJson, String machine) throws IOException {
        Map<Key, double[]> s = scores(jmhJson);
        TreeSet<Integer> ns = new TreeSet<>();
        s.keySet().forEach(k -> ns.add(k.n()));
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n")
          .append("Generated by `BenchmarksReport` from one JMH session (one result file; single-shot times, ms per whole operation, ")
          .append("mean +- JMH's 99.9% error over the iterations; each save is durable: temp file, fsync, rename, ")
          .append("directory fsync). Ratios compare with baselines measured in the same run: lower is better, ")
          .append("1.00 means as fast as the baseline.\n\n")
          .append(machine).append(forkOptions(jmhJson)).append("\n\n## Goals (issue 17)\n\n").append(Goals.table(s, ns))
          .append("\n## Operations\n\n")
          .append("| operation | N | TypeScript reference | VecPersist | ratio to baselines |\n|---|---|---|---|---|\n");
        for (int n : ns) {
            List<String[]> rows = new ArrayList<>();
            row(rows, s, n, "save json", "jacksonStreamingWrite:hand-written Jackson streaming",
                    "langchain4jSerializeToFile:LangChain4j serializeToFile", "springAiSave:Spring AI save",
                    "jacksonDatabindWrite:Jackson databind", "rawWriteFsync:raw FileChannel+fsync");
            row(rows, s, n, "load json", "jacksonStreamingRead:hand-written Jackson streaming",
                    "langchain4jFromFile:LangChain4j fromFile", "springAiLoad:Spring AI load",
                    "jacksonDatabindRead:Jackson databind", "rawRead:raw read");
            row(rows, s, n, "save msgpack", "msgpackHandWrittenWrite:hand-written msgpack",
                    "rawWriteFsync:raw FileChannel+fsync", "rawWrite:raw FileChannel, no fsync");
            row(rows, s, n, "load msgpack", "msgpackHandWrittenRead:hand-written msgpack", "rawRead:raw read",
                    "objectInputStreamRead:ObjectInputStream");
            row(rows, s, n, "save sqlite", "sqliteBulkInsert:tuned bulk insert (no fsync)", "rawWriteFsync:raw FileChannel+fsync");
            row(rows, s, n, "load sqlite", "jdbcRead:hand-written JDBC loop", "rawRead:raw read");
            for (Key k : s.keySet()) {
                if (k.n() == n && k.row().startsWith("saveCompressed ")) {
                    String combination = k.row().substring("saveCompressed ".length());
                    String plain = "save " + combination.substring(0, combination.indexOf('+'));
                    row(rows, s, n, k.row(), plain + ":" + plain + " (uncompressed)",
                            "compressOnly " + combination + ":compressing alone");
                }
            }
            for (Key k : s.keySet()) {
                if (k.n() == n && k.row().startsWith("loadCompressed ")) {
                    String combination = k.row().substring("loadCompressed ".length());
                    String plain = "load " + combination.substring(0, combination.indexOf('+'));
                    row(rows, s, n, k.row(), plain + ":" + plain + " (uncompressed)",
                            "decompressOnly " + combination + ":decompressing alone");
                }
            }
            row(rows, s, n, "createSnapshot", "save msgpack:full save msgpack");
            row(rows, s, n, "restoreSnapshot", "load msgpack:load msgpack");
            for (String f : new String[] {"json", "msgpack", "sqlite"}) {
                row(rows, s, n, "saveIncremental " + f, "save " + f + ":full save " + f);
            }
            langChain4jRows(rows, s, n);
            row(rows, s, n, "encryptedSave aes256gcm", "encryptedSave none:save msgpack unencrypted");
            row(rows, s, n, "encryptedLoad aes256gcm", "encryptedLoad none:load msgpack unencrypted");
            for (String[] r : rows) {
                md.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
        }
        md.append("\n## Baselines and peers\n\n| baseline | ").append(String.join(" | ", ns.stream().map(n -> "N=" + n).toList()))
          .append(" |\n|---|").append("---|".repeat(ns.size())).append('\n');
        List<String> stages = new ArrayList<>(List.of(BASELINES));
        s.keySet().stream().map(Key::row).filter(r -> r.startsWith("compressOnly ") || r.startsWith("decompressOnly "))
                .distinct().forEach(stages::add);
        for (String b : stages) {
            if (ns.stream().noneMatch(n -> s.containsKey(new Key(b, n)))) {
                continue;
            }
            md.append("| ").append(b);
            for (int n : ns) {
                md.append(" | ").append(timeOf(s.get(new Key(b, n))));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    /** LangChain4jBenchmarks: DurableEmbeddingStore against InMemoryEmbeddingStore's serializeToFile / fromFile. */
    private static void langChain4jRows(List<String[]> rows, Map<Key, double[]> s, int n) {
        for (String op : new String[] {"save", "load"}) {
            String baseline = "langchain4j " + op + " InMemoryEmbeddingStore";
            String name = "InMemoryEmbeddingStore." + (op.equals("save") ? "serializeToFile" : "fromFile");
            row(rows, s, n, baseline);
            for (String format : new String[] {"msgpack", "json"}) {
                row(rows, s, n, "langchain4j " + op + " durable-" + format, baseline + ":" + name);
            }
        }
    }

    /** Adds a row "label" when it was measured: our time, the reference's, ratios to each baseline. */
    private static void row(List<String[]> rows, Map<Key, double[]> s, int n, String label, String... baselines) {
        double[] ours = s.get(new Key(label, n));
        if (ours == null) {
            return;
        }
        List<String> ratios = new ArrayList<>();
        for (String b : baselines) {
            String[] parts = b.split(":", 2);
            double[] base = s.get(new Key(parts[0], n));
            if (base != null && base[0] > 0) {
                ratios.add(String.format(Locale.ROOT, "%.2f x %s", ours[0] / base[0], parts[1]));
            }
        }
        rows.add(new String[] {label, String.format(Locale.ROOT, "%,d", n), reference(label, n), timeOf(ours), String.join("; ", ratios)});
    }

    private static String reference(String label, int n) {
        long[] times = REFERENCE.get(label);
        int index = n == 1000 ? 0 : n == 10000 ? 1 : n == 100000 ? 2 : -1;
        if (times == null || index < 0 || times[index] == -1) {
            return "-";
        }
        return times[index] == -2 ? "fails" : fmt(times[index]);
    }

    /** {@return "mean +- error (k it.)", or "-"} */
    private static String timeOf(double[] v) {
        if (v == null) {
            return "-";
        }
        String error = Double.isNaN(v[1]) ? "" : " +- " + fmt(v[1]);
        return fmt(v[0]) + error + String.format(Locale.ROOT, " (%d it.)", (int) v[2]);
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format(Locale.ROOT, "Machine: %s, %d cores, %.0f GiB RAM, %s %s; JDK %s (%s).", cpu,
                Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }
}
