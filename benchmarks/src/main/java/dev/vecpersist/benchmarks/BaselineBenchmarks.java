package dev.vecpersist.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.DatabasePersistence;
import dev.vecpersist.core.PersistenceOptions;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the library is measured against, in the same run: (1) the raw limit, the same ids and float
 * bytes through one FileChannel, with and without fsync; (2) what a user would write by hand,
 * Jackson databind and Java serialization; (3) the best hand-written equivalent of each format.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BaselineBenchmarks {

    /** A plain object a user would hand to Jackson databind or ObjectOutputStream. */
    public static final class Pojo implements Serializable {
        private static final long serialVersionUID = 1L;
        public String id;
        public float[] vector;
        public Map<String, Object> metadata;
    }

    @State(Scope.Benchmark)
    public static class Input {
        @Param({"1000", "10000", "100000"})
        public int n;

        List<VectorEntry> entries;
        List<Pojo> pojos;
        Path dir;
        Path raw;
        Path databind;
        Path serialized;
        Path streaming;
        Path msgpack;
        Path sqlite;
        final ObjectMapper mapper = new ObjectMapper();
        final JsonFactory fast = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            // only the input file the benchmark reads: at 100K each takes seconds to write
            String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            entries = Data.entries(n, 42);
            pojos = new ArrayList<>(n);
            for (VectorEntry e : entries) {
                Pojo p = new Pojo();
                p.id = e.id();
                p.vector = e.vector();
                p.metadata = new LinkedHashMap<>(e.metadata());
                pojos.add(p);
            }
            dir = Data.tempDir("bench-baselines");
            raw = dir.resolve("raw.bin");
            databind = dir.resolve("databind.json");
            serialized = dir.resolve("serialized.bin");
            streaming = dir.resolve("streaming.json");
            msgpack = dir.resolve("hand.msgpack");
            sqlite = dir.resolve("library.sqlite");
            switch (benchmark) {
                case "rawRead" -> rawWrite(this, raw, false);
                case "jacksonDatabindRead" -> mapper.writeValue(databind.toFile(), pojos);
                case "objectInputStreamRead" -> javaSerialize(this, serialized);
                case "jacksonStreamingRead" -> jacksonStreamingWrite(this, streaming);
                case "msgpackHandWrittenRead" -> msgpackWrite(this, msgpack);
                case "jdbcRead" -> {
                    try (DatabasePersistence p = new DatabasePersistence(Data.database(n),
                            PersistenceOptions.builder().baseDir(dir.resolve("library")).format("sqlite").build())) {
                        p.save(sqlite);
                    }
                }
                default -> {
                    // a writing benchmark: it needs only the entries
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.delete(dir);
        }
    }

    // ---------------------------------------------------------------- (1) the raw limit

    static void rawWrite(Input in, Path file, boolean fsync) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (VectorEntry e : in.entries) {
                byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
                if (buf.remaining() < 8 + id.length + e.vector().length * 4) {
                    buf.flip();
                    ch.write(buf);
                    buf.clear();
                }
                buf.putInt(id.length).put(id).putInt(e.vector().length);
                buf.asFloatBuffer().put(e.vector());
                buf.position(buf.position() + e.vector().length * 4);
            }
            buf.flip();
            ch.write(buf);
            if (fsync) {
                ch.force(true);
            }
        }
    }

    @Benchmark
    public Path rawWrite(Input in) throws IOException {
        rawWrite(in, in.dir.resolve("raw-out.bin"), false);
        return in.raw;
    }

    @Benchmark
    public Path rawWriteFsync(Input in) throws IOException {
        rawWrite(in, in.dir.resolve("raw-out.bin"), true);
        return in.raw;
    }

    @Benchmark
    public List<float[]> rawRead(Input in) throws IOException {
        List<float[]> out = new ArrayList<>(in.n);
        try (FileChannel ch = FileChannel.open(in.raw, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            while (true) {
                if (buf.remaining() < 8 && !fill(ch, buf, 8)) {
                    break;
                }
                int idLength = buf.getInt();
                fill(ch, buf, idLength + 4);
                byte[] id = new byte[idLength];
                buf.get(id);
                int dims = buf.getInt();
                fill(ch, buf, dims * 4);
                float[] v = new float[dims];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + dims * 4);
                new String(id, StandardCharsets.UTF_8);
                out.add(v);
            }
        }
        return out;
    }

    private static boolean fill(FileChannel ch, ByteBuffer buf, int needed) throws IOException {
        if (buf.remaining() >= needed) {
            return true;
        }
        buf.compact();
        while (buf.position() < needed) {
            if (ch.read(buf) < 0) {
                buf.flip();
                return false;
            }
        }
        buf.flip();
        return true;
    }

    // ---------------------------------------------------------------- (2) what a user would write

    @Benchmark
    public Path jacksonDatabindWrite(Input in) throws IOException {
        Path out = in.dir.resolve("databind-out.json");
        in.mapper.writeValue(out.toFile(), in.pojos);
        return out;
    }

    @Benchmark
    public List<Pojo> jacksonDatabindRead(Input in) throws IOException {
        return in.mapper.readValue(in.databind.toFile(), new TypeReference<List<Pojo>>() { });
    }

    static void javaSerialize(Input in, Path file) throws IOException {
        Map<String, Pojo> map = new LinkedHashMap<>();
        in.pojos.forEach(p -> map.put(p.id, p));
        try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeObject(map);
        }
    }

    @Benchmark
    public Path objectOutputStreamWrite(Input in) throws IOException {
        Path out = in.dir.resolve("serialized-out.bin");
        javaSerialize(in, out);
        return out;
    }

    @Benchmark
    public Object objectInputStreamRead(Input in) throws Exception {
        try (ObjectInputStream ois = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(in.serialized), 1 << 16))) {
            return ois.readObject();
        }
    }

    // ---------------------------------------------------------------- (3) best hand-written equivalents

    static void jacksonStreamingWrite(Input in, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             JsonGenerator g = in.fast.createGenerator(out)) {
            g.writeStartArray();
            for (VectorEntry e : in.entries) {
                g.writeStartObject();
                g.writeStringField("id", e.id());
                g.writeFieldName("vector");
                g.writeStartArray();
                for (float f : e.vector()) {
                    g.writeNumber(f);
                }
                g.writeEndArray();
                g.writeFieldName("metadata");
                g.writeStartObject();
                for (Map.Entry<String, Object> m : e.metadata().entrySet()) {
                    g.writeFieldName(m.getKey());
                    if (m.getValue() instanceof String str) {
                        g.writeString(str);
                    } else {
                        g.writeNumber((Long) m.getValue());
                    }
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    @Benchmark
    public Path jacksonStreamingWrite(Input in) throws IOException {
        Path out = in.dir.resolve("streaming-out.json");
        jacksonStreamingWrite(in, out);
        return out;
    }

    /** Reads what {@link #jacksonStreamingWrite} wrote into an id -> entry map, metadata included. */
    @Benchmark
    public Map<String, VectorEntry> jacksonStreamingRead(Input in) throws IOException {
        Map<String, VectorEntry> out = new LinkedHashMap<>(in.n * 4 / 3 + 1);
        float[] buf = new float[Data.DIMENSION];
        try (InputStream is = Files.newInputStream(in.streaming);
             JsonParser p = in.fast.createParser(is)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String id = null;
                float[] v = null;
                Map<String, Object> metadata = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("vector")) {
                        int i = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            buf[i++] = p.getFloatValue();
                        }
                        v = java.util.Arrays.copyOf(buf, i);
                    } else if (name.equals("id")) {
                        id = p.getText();
                    } else if (name.equals("metadata")) {
                        metadata = new LinkedHashMap<>(4);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            JsonToken t = p.nextToken();
                            metadata.put(key, t == JsonToken.VALUE_STRING ? p.getText()
                                    : t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getDoubleValue());
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                out.put(id, new VectorEntry(id, v, metadata));
            }
        }
        return out;
    }

    static void msgpackWrite(Input in, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Data.DIMENSION * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             MessagePacker p = MessagePack.newDefaultPacker(os)) {
            p.packArrayHeader(in.entries.size());
            for (VectorEntry e : in.entries) {
                buf.clear();
                buf.asFloatBuffer().put(e.vector());
                p.packArrayHeader(3).packString(e.id()).packBinaryHeader(buf.capacity()).writePayload(buf.array());
                p.packMapHeader(e.metadata().size());
                for (Map.Entry<String, Object> m : e.metadata().entrySet()) {
                    p.packString(m.getKey());
                    if (m.getValue() instanceof String str) {
                        p.packString(str);
                    } else {
                        p.packLong((Long) m.getValue());
                    }
                }
            }
        }
    }

    @Benchmark
    public Path msgpackHandWrittenWrite(Input in) throws IOException {
        Path out = in.dir.resolve("msgpack-out");
        msgpackWrite(in, out);
        return out;
    }

    @Benchmark
    public List<float[]> msgpackHandWrittenRead(Input in) throws IOException {
        List<float[]> out = new ArrayList<>(in.n);
        byte[] bytes = new byte[Data.DIMENSION * 4];
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(new BufferedInputStream(Files.newInputStream(in.msgpack), 1 << 16))) {
            int n = u.unpackArrayHeader();
            for (int i = 0; i < n; i++) {
                u.unpackArrayHeader();
                u.unpackString();
                u.readPayload(bytes, 0, u.unpackBinaryHeader());
                float[] v = new float[Data.DIMENSION];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                int m = u.unpackMapHeader();
                for (int k = 0; k < m; k++) {
                    u.unpackString();
                    u.unpackValue();
                }
                out.add(v);
            }
        }
        return out;
    }

    /**
     * A plain JDBC loop over the SQLite file the library saved: {@code SELECT id, vector, metadata},
     * the blob into a float[], the metadata JSON through Jackson, into an id -> entry map.
     */
    @Benchmark
    public Map<String, VectorEntry> jdbcRead(Input in) throws Exception {
        return jdbcLoop(in.sqlite, in.n, in.mapper);
    }

    /** The loop of {@link #jdbcRead}, shared with {@link SqliteLoadCpu}. */
    static Map<String, VectorEntry> jdbcLoop(Path sqlite, int n, ObjectMapper mapper) throws Exception {
        Map<String, VectorEntry> out = new LinkedHashMap<>(n * 4 / 3 + 1);
        TypeReference<LinkedHashMap<String, Object>> mapType = new TypeReference<>() { };
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, vector, metadata FROM vectors")) {
            while (r.next()) {
                String id = r.getString(1);
                byte[] blob = r.getBytes(2);
                float[] v = new float[blob.length / 4];
                ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                out.put(id, new VectorEntry(id, v, mapper.readValue(r.getString(3), mapType)));
            }
        }
        return out;
    }

    @Benchmark
    public Path sqliteBulkInsert(Input in) throws Exception {
        Path file = in.dir.resolve("bulk-" + System.nanoTime() + ".sqlite");
        ByteBuffer buf = ByteBuffer.allocate(Data.DIMENSION * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("CREATE TABLE vectors (id TEXT PRIMARY KEY, vector BLOB NOT NULL, metadata TEXT NOT NULL)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vectors VALUES (?, ?, ?)")) {
                int batch = 0;
                for (VectorEntry e : in.entries) {
                    buf.clear();
                    buf.asFloatBuffer().put(e.vector());
                    ps.setString(1, e.id());
                    ps.setBytes(2, buf.array().clone());
                    ps.setString(3, in.mapper.writeValueAsString(e.metadata()));
                    ps.addBatch();
                    if (++batch == 1000) {
                        ps.executeBatch();
                        batch = 0;
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        Files.delete(file);
        return file;
    }
}
