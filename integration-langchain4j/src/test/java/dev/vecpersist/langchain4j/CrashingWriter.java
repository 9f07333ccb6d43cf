package dev.vecpersist.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The child JVM of {@link DurableEmbeddingStoreCrashTest}: opens a store with saveOnEveryWrite and
 * adds documents from several threads until it is killed, printing {@code acked ID} (flushed) after
 * each add returns.
 *
 * <p>Arguments: base directory, format, run number (makes ids unique across runs).
 */
public final class CrashingWriter {

    static final int DIMENSION = 32;
    static final int THREADS = 3;

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        DurableEmbeddingStore store = DurableEmbeddingStore.builder().baseDir(Path.of(args[0]))
                .dimension(DIMENSION).format(args[1]).saveOnEveryWrite(true).build();
        String run = args[2];
        synchronized (out) {
            out.println("ready " + store.size());
            out.flush();
        }
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(new Thread(() -> {
                for (int n = 0; ; n++) {
                    String id = "r" + run + "-t" + thread + "-" + n;
                    store.addAll(List.of(id), List.of(embedding(id)), List.of(segment(id)));
                    synchronized (out) {
                        out.println("acked " + id);
                        out.flush();
                    }
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join();
        }
    }

    /** The embedding the child adds under {@code id}. */
    static Embedding embedding(String id) {
        java.util.Random random = new java.util.Random(id.hashCode());
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embedding.from(v);
    }

    /** The segment the child adds under {@code id}, with metadata of every type. */
    static TextSegment segment(String id) {
        int h = id.hashCode();
        return TextSegment.from("document " + id, new Metadata().put("id", id).put("int", h).put("long", (long) h << 20)
                .put("float", h / 3f).put("double", h / 7d).put("uuid", UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8))));
    }
}
