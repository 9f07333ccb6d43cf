package dev.vecpersist.format.msgpack;

import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.IncompatibleStateException;
import dev.vecpersist.api.Metric;
import dev.vecpersist.api.StateHeader;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.testkit.StateFiles;
import dev.vecpersist.testkit.TestStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Damaged files: cut at every length, a byte changed at every offset, garbage after the magic.
 * Reading one either loads exactly what was saved or throws a {@link CorruptedStateException}
 * naming the file (the caller's checksum catches changes the parser cannot); no other exception
 * type escapes, and nothing hangs.
 */
class MsgpackCorruptionTest {

    private final MsgpackStateFormat format = new MsgpackStateFormat();

    @TempDir
    Path dir;

    private StateHeader header;
    private List<VectorEntry> entries;
    private List<String> deletions;
    private byte[] original;

    /** A small delta touching every part of the layout: user metadata, index state, entries, deletions, trailer. */
    @BeforeEach
    void writeOriginal() throws IOException {
        entries = TestStates.mixedMetadataEntries(4, 4, 21);
        deletions = List.of("gone", "日本\uD83D\uDE80");
        header = new StateHeader(MsgpackStateFormat.VERSION, StateHeader.Kind.DELTA, 4, Metric.DOT, entries.size(),
                deletions.size(), Instant.ofEpochMilli(1_700_000_000_000L), Map.of("k", List.of(1L, "v")), new byte[] {1, 2, 3});
        Path f = dir.resolve("original.msgpack");
        StateFiles.write(format, f, header, entries, deletions);
        original = Files.readAllBytes(f);
    }

    /** Reads the bytes as a state file: null when they load exactly as saved, else the failure. */
    private Exception outcome(byte[] content, String name) throws IOException {
        Path f = dir.resolve(name + ".msgpack");
        Files.write(f, content);
        try {
            StateFiles.ReadState back = StateFiles.read(format, f);
            assertThat(back.header()).as(name).isEqualTo(header);
            assertThat(back.entries()).as(name).containsExactlyElementsOf(entries);
            assertThat(back.deletions()).as(name).containsExactlyElementsOf(deletions);
            return null;
        } catch (CorruptedStateException | IncompatibleStateException e) {
            assertThat(e.getMessage()).as(name).contains(f.toString());
            return e;
        } catch (RuntimeException e) {
            return fail(name + ": expected CorruptedStateException, got " + e, e);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void everyTruncationIsReportedAsCorrupt() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length = 0; length < original.length; length++) {
                Exception e = outcome(Arrays.copyOf(original, length), "cut-" + length);
                assertThat(e).as("cut to %d of %d bytes", length, original.length).isInstanceOf(CorruptedStateException.class);
                if (length >= MsgpackLayout.MAGIC.length) {
                    assertThat(e.getMessage()).as("cut to %d", length).contains("truncated");
                }
            }
        });
    }

    @Test
    void truncationsOfALargerFileNameTheEntry() throws IOException {
        List<VectorEntry> many = TestStates.entries(300, 64, 2);
        Path f = dir.resolve("larger.msgpack");
        StateFiles.write(format, f, StateHeader.full(1, 64, Metric.COSINE, many.size(), Instant.EPOCH), many, List.of());
        byte[] bytes = Files.readAllBytes(f);
        Random random = new Random(4);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int trial = 0; trial < 100; trial++) {
                int length = 200 + random.nextInt(bytes.length - 300);
                Path cut = dir.resolve("cut.msgpack");
                Files.write(cut, Arrays.copyOf(bytes, length));
                try {
                    StateFiles.read(format, cut);
                    fail("a file cut to " + length + " bytes loaded");
                } catch (CorruptedStateException e) {
                    assertThat(e.getMessage()).contains(cut.toString()).contains("truncated").containsPattern("entry \\d+ \\(byte \\d+\\)");
                }
            }
        });
    }

    @Test
    void everyChangedByteLoadsIdenticallyOrIsReportedAsCorrupt() {
        int versionValue = indexOf(original, "\u00a7version".getBytes(StandardCharsets.ISO_8859_1)) + 8;
        assertThat(original[versionValue]).isEqualTo((byte) MsgpackStateFormat.VERSION);
        // the optional "format" key: changed, it is an unknown key, skipped, and the state loads as saved
        int formatKey = indexOf(original, "\u00a6format".getBytes(StandardCharsets.ISO_8859_1)) + 1;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int offset = 0; offset < original.length; offset++) {
                for (int pattern : new int[] {0x01, 0x80, 0xff, 0x40}) {
                    byte[] changed = original.clone();
                    changed[offset] ^= (byte) pattern;
                    Exception e = outcome(changed, "flip-" + offset + "-" + pattern);
                    if (e == null) {
                        assertThat(offset).as("byte %d ^ %02x loaded as the original", offset, pattern)
                                .isBetween(formatKey, formatKey + 5);
                    } else if (e instanceof IncompatibleStateException) {
                        // only a changed version number may read as a newer layout
                        assertThat(offset).as("IncompatibleStateException for byte %d: %s", offset, e).isEqualTo(versionValue);
                    }
                }
            }
        });
    }

    @Test
    void garbageAfterTheMagicIsReportedAsCorrupt() {
        Random random = new Random(99);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int trial = 0; trial < 500; trial++) {
                byte[] garbage = new byte[1 + random.nextInt(300)];
                random.nextBytes(garbage);
                if (trial % 2 == 0) {
                    garbage[0] = (byte) (0x80 | random.nextInt(16)); // a fixmap: the parser goes further
                }
                byte[] content = Arrays.copyOf(MsgpackLayout.MAGIC, MsgpackLayout.MAGIC.length + garbage.length);
                System.arraycopy(garbage, 0, content, MsgpackLayout.MAGIC.length, garbage.length);
                assertThat(outcome(content, "garbage-" + trial)).isInstanceOf(CorruptedStateException.class);
            }
        });
    }

    @Test
    void garbageAfterAValidHeaderIsReportedAsCorrupt() {
        int bodyStart = indexOf(original, new byte[] {(byte) 0x93}); // the first entry's array header
        Random random = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int trial = 0; trial < 500; trial++) {
                byte[] content = original.clone();
                for (int i = bodyStart; i < content.length; i++) {
                    if (random.nextInt(8) == 0) {
                        content[i] = (byte) random.nextInt(256);
                    }
                }
                Exception e = outcome(content, "noisy-" + trial);
                assertThat(e).isInstanceOf(CorruptedStateException.class);
            }
        });
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found: " + Arrays.toString(needle));
    }
}
