package dev.vecpersist.core;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.CorruptedStateException;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.UnsupportedFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tells a file's codec and format from its first bytes, never from its name:
 * <ol>
 *   <li>a codec whose magic number matches (gzip, LZ4 frame, ...);</li>
 *   <li>otherwise, a format that recognises the raw bytes (no compression);</li>
 *   <li>otherwise, a codec without a magic number (brotli) whose trial decode of the first bytes
 *       starts like a known format;</li>
 *   <li>otherwise the bytes are compared with the signatures of well-known plugins that are not on
 *       the classpath, to name the artifact to add; failing that, the content is corrupt.</li>
 * </ol>
 * Thread-safe.
 */
final class ContentDetector {

    /** How many leading bytes detection looks at. */
    static final int HEAD_BYTES = 64 * 1024;
    private static final int DECODED_PREFIX = 1024;

    /** The result: a format and a codec (null for none). */
    record Encoding(StateFormat format, CompressionCodec codec) {
        String codecName() {
            return codec == null ? Plugins.NO_COMPRESSION : codec.name();
        }
    }

    private final Plugins plugins;

    ContentDetector(Plugins plugins) {
        this.plugins = plugins;
    }

    /** Opens the file from its start, for trial decoding. */
    interface Opener {
        InputStream open() throws IOException;
    }

    Encoding detect(byte[] head, int length, Path file, Opener opener) {
        for (CompressionCodec codec : plugins.codecs()) {
            if (codec.detect(head, length) == CompressionCodec.Detection.MATCH) {
                return new Encoding(formatOfDecoded(codec, opener, file, true), codec);
            }
        }
        StateFormat raw = recognise(head, length);
        if (raw != null) {
            return new Encoding(raw, null);
        }
        for (CompressionCodec codec : plugins.codecs()) {
            if (codec.detect(head, length) == CompressionCodec.Detection.TRY_DECODING) {
                StateFormat decoded = formatOfDecoded(codec, opener, file, false);
                if (decoded != null) {
                    return new Encoding(decoded, codec);
                }
            }
        }
        throw unrecognised(head, length, file);
    }

    private StateFormat recognise(byte[] head, int length) {
        for (StateFormat f : plugins.formats()) {
            if (f.recognizes(head, length)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Decodes the start of the file with a codec (only as much as needed for {@link #DECODED_PREFIX}
     * bytes of output) and recognises the format of what comes out.
     */
    private StateFormat formatOfDecoded(CompressionCodec codec, Opener opener, Path file, boolean required) {
        byte[] decoded = new byte[DECODED_PREFIX];
        int n = 0;
        try (InputStream in = codec.decompress(opener.open())) {
            while (n < decoded.length) {
                int r = in.read(decoded, n, decoded.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (UnsupportedFormatException | CorruptedStateException e) {
            if (required) {
                // the codec recognised a variant of its format it cannot read, and says why
                throw e instanceof CorruptedStateException ? new CorruptedStateException(e.getMessage(), file, e)
                        : new UnsupportedFormatException(e.getMessage(), file, e);
            }
        } catch (IOException | RuntimeException e) {
            // corrupt or truncated later on: what came out before is enough to recognise the format
        }
        StateFormat f = n > 0 ? recognise(decoded, n) : null;
        if (f == null && required) {
            if (n == 0) {
                throw new CorruptedStateException("starts like " + codec.name() + " data but does not decompress", file, null);
            }
            throw unrecognisedContent(decoded, n, file, "after " + codec.name() + " decompression ");
        }
        return f;
    }

    private RuntimeException unrecognised(byte[] head, int length, Path file) {
        String missingCodec = KnownSignatures.codecOf(head, length);
        if (missingCodec != null && !available(plugins.codecs().stream().map(CompressionCodec::name), missingCodec)) {
            String artifact = Plugins.artifactFor(missingCodec);
            return new UnsupportedFormatException("the file is compressed with " + missingCodec
                    + ", but no CompressionCodec named '" + missingCodec + "' is on the classpath"
                    + (artifact != null ? "; add " + artifact : ""), file, null);
        }
        return unrecognisedContent(head, length, file, "");
    }

    private RuntimeException unrecognisedContent(byte[] head, int length, Path file, String where) {
        String missingFormat = KnownSignatures.formatOf(head, length);
        if (missingFormat != null && !available(plugins.formats().stream().map(StateFormat::name), missingFormat)) {
            String artifact = Plugins.artifactFor(missingFormat);
            return new UnsupportedFormatException("the content " + where + "is in the " + missingFormat
                    + " format, but no StateFormat named '" + missingFormat + "' is on the classpath"
                    + (artifact != null ? "; add " + artifact : ""), file, null);
        }
        List<String> formats = new ArrayList<>();
        plugins.formats().forEach(f -> formats.add(f.name()));
        List<String> codecs = new ArrayList<>();
        plugins.codecs().forEach(c -> codecs.add(c.name()));
        // never the bytes themselves: an unrecognised file may be anything (a link to a secret, say)
        String description = "not a recognisable state file " + where + "("
                + (length == 0 ? "the file is empty" : "no known signature in its first " + length + " bytes")
                + "); available formats: " + formats + ", codecs: " + codecs;
        if (where.isEmpty() && length > 0 && !codecs.contains("brotli") && !KnownSignatures.startsLikeAny(head, length)) {
            // brotli has no magic number: without its module we cannot tell its files from damaged ones
            return new UnsupportedFormatException(description + ". It is corrupt, or compressed with a codec "
                    + "that has no magic number: brotli needs " + Plugins.artifactFor("brotli"), file, null);
        }
        return new CorruptedStateException(description, file, null);
    }

    private static boolean available(java.util.stream.Stream<String> names, String name) {
        return names.anyMatch(name::equals);
    }

    /** Signatures of well-known plugins, used only to name what is missing. */
    static final class KnownSignatures {
        private static final byte[] GZIP = {0x1f, (byte) 0x8b};
        private static final byte[] LZ4 = {0x04, 0x22, 0x4d, 0x18};
        private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
        private static final byte[] SQLITE = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] MSGPACK = {(byte) 0xaa, 'V', 'E', 'C', 'P', 'E', 'R', 'S', 'I', 'S', 'T'};

        private KnownSignatures() {
        }

        static String codecOf(byte[] head, int length) {
            if (startsWith(head, length, GZIP)) {
                return "gzip";
            }
            if (startsWith(head, length, LZ4)) {
                return "lz4";
            }
            if (startsWith(head, length, ZSTD)) {
                return "zstd";
            }
            return null;
        }

        static String formatOf(byte[] head, int length) {
            if (startsWith(head, length, SQLITE)) {
                return "sqlite";
            }
            if (startsWith(head, length, MSGPACK)) {
                return "msgpack";
            }
            int i = 0;
            if (startsWith(head, length, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf})) {
                i = 3;
            }
            while (i < length && Character.isWhitespace(head[i])) {
                i++;
            }
            return i < length && head[i] == '{' ? "json" : null;
        }

        /** Whether the bytes begin like (or are a cut-off beginning of) a signature we know. */
        static boolean startsLikeAny(byte[] head, int length) {
            for (byte[] signature : new byte[][] {GZIP, LZ4, ZSTD, SQLITE, MSGPACK}) {
                int n = Math.min(length, signature.length);
                if (Arrays.equals(head, 0, n, signature, 0, n)) {
                    return true;
                }
            }
            return formatOf(head, length) != null;
        }

        private static boolean startsWith(byte[] head, int length, byte[] prefix) {
            return length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
        }
    }
}
