package dev.vecpersist.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM adds documents with saveOnEveryWrite from several threads and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at a random moment, 20 times over the same directory. After
 * every kill the reopened store must hold every add the child saw return, each exactly as added.
 */
class DurableEmbeddingStoreCrashTest {

    private static final String[] FORMATS = {"msgpack", "json", "sqlite"};
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void every_acknowledged_add_survives_sigkill() throws Exception {
        Random random = new Random(22);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = start(FORMATS[kill % FORMATS.length], kill);
            CountDownLatch firstAck = new CountDownLatch(1);
            List<String> other = new CopyOnWriteArrayList<>();
            Thread reader = readOutput(child, acked, firstAck, other);
            // kill at a random moment once the child is writing (however slow this machine is today)
            assertThat(firstAck.await(120, TimeUnit.SECONDS)).as("child %d wrote: %s", kill, other).isTrue();
            Thread.sleep(random.nextInt(1200));
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(other).as("child %d printed no error", kill).isEmpty();

            try (DurableEmbeddingStore store = DurableEmbeddingStore.builder().baseDir(dir)
                    .dimension(CrashingWriter.DIMENSION).build()) {
                Map<String, EmbeddingMatch<TextSegment>> found = all(store);
                assertThat(found.keySet()).as("kill %d: every acknowledged add", kill).containsAll(acked);
                // what is there (acknowledged, or in flight at the kill) is exactly what the child added
                found.forEach((id, match) -> {
                    assertThat(match.embedded()).as(id).isEqualTo(CrashingWriter.segment(id));
                    assertThat(match.embedding()).as(id).isEqualTo(CrashingWriter.embedding(id));
                });
            }
        }
        System.out.printf("langchain4j crash test: %d kills, %d acknowledged adds, all found after every kill%n",
                KILLS, acked.size());
    }

    private Process start(String format, int run) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), dir.toString(), format, Integer.toString(run)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Reads the child's output until it dies; a line counts only once complete (its newline was
     * flushed). Counts down {@code firstAck} at the first acknowledged add; lines other than acks
     * and the child's "ready" go to {@code other}.
     */
    private static Thread readOutput(Process child, Set<String> acked, CountDownLatch firstAck, List<String> other) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != -1) {
                    if (c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    String l = line.toString();
                    line.setLength(0);
                    if (l.startsWith("acked ")) {
                        acked.add(l.substring("acked ".length()));
                        firstAck.countDown();
                    } else if (!l.startsWith("ready")) {
                        other.add(l);
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the child dies
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Map<String, EmbeddingMatch<TextSegment>> all(DurableEmbeddingStore store) {
        Map<String, EmbeddingMatch<TextSegment>> byId = new HashMap<>();
        store.search(EmbeddingSearchRequest.builder().queryEmbedding(CrashingWriter.embedding("query"))
                        .maxResults((int) Math.max(1, store.size())).minScore(0.0).build())
                .matches().forEach(m -> byId.put(m.embeddingId(), m));
        return byId;
    }
}
