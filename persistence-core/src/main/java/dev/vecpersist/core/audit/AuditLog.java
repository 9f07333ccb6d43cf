package dev.vecpersist.core.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vecpersist.core.crypto.Encryption;
import dev.vecpersist.json.JsonSetup;
import dev.vecpersist.json.MetadataJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * An append-only, tamper-evident log of operations: one JSON line per operation in
 * {@code DIR/audit.log}, hash-chained ({@link AuditChain}), each append fsynced. A torn last line
 * (a crash mid-append) is cut off by the next append, which notes how many bytes it removed. When
 * the file would grow past the size limit it is renamed to {@code audit-NNNNNN.log} and a new one
 * continues the chain. Every line is also logged at INFO (failures at WARN) on the SLF4J logger
 * {@value #LOGGER}. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {

    /** The SLF4J logger that receives every line. */
    public static final String LOGGER = "dev.vecpersist.audit";

    private static final Logger EVENTS = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int TAIL = 1 << 20;

    private final Path dir;
    private final long maxBytes;
    private final Encryption encryption;
    private final long pid = ProcessHandle.current().pid();
    private final String user = System.getProperty("user.name", "unknown");
    private FileChannel channel;
    private long nextSeq;
    private String lastHash;
    /** Bytes of a torn last line found at open, cut off by the next append. */
    private long tornBytes;

    /**
     * Opens (creating) {@code dir/audit.log}, finds the chain's head and cuts off a torn last line.
     *
     * @param dir        the directory
     * @param maxBytes   the size past which the file is rotated
     * @param encryption with encryption on, lines are HMAC-chained under the primary key; null for SHA-256
     * @throws IOException when the log cannot be opened or read
     */
    public AuditLog(Path dir, long maxBytes, Encryption encryption) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.encryption = encryption;
        open();
    }

    private void open() throws IOException {
        Path file = dir.resolve(AuditChain.FILE);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        tornBytes = tornTail(channel);
        AuditChain.Line last = lastLine(channel);
        if (last == null) {
            Path rotated = newestRotated();
            if (rotated != null) {
                try (FileChannel old = FileChannel.open(rotated, StandardOpenOption.READ)) {
                    last = lastLine(old);
                }
            }
        }
        nextSeq = last == null ? 1 : last.seq() + 1;
        lastHash = last == null ? AuditChain.GENESIS : last.hash();
    }

    /**
     * Appends one event, fsynced, and logs it on {@value #LOGGER}.
     *
     * @param event the finished operation
     * @param error its failure, or null when it succeeded
     */
    public synchronized void append(AuditEvent event, Throwable error) {
        try {
            String keyId = encryption == null ? null : encryption.keys().primaryId();
            String body = body(event, error, keyId);
            String hash = AuditChain.hash(encryption, keyId, body);
            String line = AuditChain.line(body, hash);
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (tornBytes > 0) {
                LOG.warn("the audit log {} ends with a torn line ({} bytes, an interrupted append): removing it",
                        dir.resolve(AuditChain.FILE), tornBytes);
                channel.truncate(channel.size() - tornBytes);
                tornBytes = 0;
            }
            if (channel.size() > 0 && channel.size() + bytes.length > maxBytes) {
                rotate();
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long before = channel.size();
            channel.position(before);
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            } catch (IOException e) {
                // leave no partial line behind for the next append to build on
                channel.truncate(before);
                throw e;
            }
            nextSeq++;
            lastHash = hash;
            if (error == null) {
                EVENTS.info(line);
            } else {
                EVENTS.warn(line);
            }
        } catch (IOException | RuntimeException e) {
            // the operation itself already happened: a failing audit log is reported, not rethrown over it
            LOG.error("could not append to the audit log in {}: {}", dir, e.toString());
        }
    }

    private String body(AuditEvent event, Throwable error, String keyId) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonSetup.FACTORY.createGenerator(text)) {
            g.writeStartObject();
            g.writeNumberField("seq", nextSeq);
            g.writeStringField("time", event.start().toString());
            g.writeStringField("operation", event.operation());
            g.writeStringField("outcome", error == null ? "ok" : "failed");
            if (error != null) {
                g.writeStringField("error", error.getClass().getSimpleName() + ": " + error.getMessage());
            }
            g.writeArrayFieldStart("files");
            for (String f : event.files()) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeNumberField("entries", event.entries());
            g.writeNumberField("deletions", event.deletions());
            g.writeNumberField("bytes", event.bytes());
            if (event.checksum() != null) {
                g.writeStringField("checksum", event.checksum());
            }
            g.writeNumberField("durationMs", event.durationMillis());
            for (Map.Entry<String, Object> d : event.details().entrySet()) {
                g.writeFieldName(d.getKey());
                MetadataJson.writeValue(g, d.getValue());
            }
            if (tornBytes > 0) {
                g.writeNumberField("repairedTornBytes", tornBytes);
            }
            g.writeNumberField("pid", pid);
            g.writeStringField("user", user);
            if (keyId != null) {
                g.writeStringField("keyId", keyId);
            }
            g.writeStringField("prev", lastHash);
            g.writeEndObject();
        }
        String json = text.toString();
        return json.substring(0, json.length() - 1); // without the closing brace: the hash field follows
    }

    /** Renames the full log to the next audit-NNNNNN.log; the new file continues the chain. */
    private void rotate() throws IOException {
        channel.close();
        Path rotated = newestRotated();
        int number = rotated == null ? 1 : Integer.parseInt(AuditChain.ROTATED.matcher(rotated.getFileName().toString())
                .replaceAll("$1")) + 1;
        Files.move(dir.resolve(AuditChain.FILE), dir.resolve(AuditChain.rotatedName(number)), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        channel = FileChannel.open(dir.resolve(AuditChain.FILE), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    private Path newestRotated() throws IOException {
        Path newest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "audit-*.log")) {
            for (Path f : files) {
                if (AuditChain.ROTATED.matcher(f.getFileName().toString()).matches()
                        && (newest == null || f.getFileName().toString().compareTo(newest.getFileName().toString()) > 0)) {
                    newest = f;
                }
            }
        }
        return newest;
    }

    /** The bytes after the last newline (an append a crash interrupted). */
    private static long tornTail(FileChannel file) throws IOException {
        long size = file.size();
        if (size == 0) {
            return 0;
        }
        String tail = readTail(file);
        int lastNewline = tail.lastIndexOf('\n');
        if (lastNewline == tail.length() - 1) {
            return 0;
        }
        return tail.length() - (lastNewline + 1L);
    }

    private static AuditChain.Line lastLine(FileChannel file) throws IOException {
        String tail = readTail(file);
        String[] lines = new String(tail.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            AuditChain.Line parsed = AuditChain.parse(lines[i]);
            if (parsed != null) {
                return parsed;
            }
        }
        return null;
    }

    /** The last {@value #TAIL} bytes, one char per byte (ISO-8859-1) so offsets stay byte offsets. */
    private static String readTail(FileChannel file) throws IOException {
        long size = file.size();
        int n = (int) Math.min(size, TAIL);
        ByteBuffer buffer = ByteBuffer.allocate(n);
        long at = size - n;
        while (buffer.hasRemaining()) {
            int r = file.read(buffer, at + buffer.position());
            if (r < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
