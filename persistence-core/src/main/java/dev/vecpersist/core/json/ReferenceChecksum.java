package dev.vecpersist.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vecpersist.json.JsonSetup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.HexFormat;

/**
 * Recomputes the checksum of a file the reference module (the TypeScript original) wrote: the
 * SHA-256 of {@code JSON.stringify} of the state object without its {@code checksum} field, keys in
 * the order of the file. The file is streamed token by token and re-serialised as JavaScript would
 * ({@link JavaScriptJson}); memory stays constant whatever the file's size.
 */
public final class ReferenceChecksum {

    private static final int FLUSH_AT = 1 << 16;

    private final MessageDigest sha = sha256();
    private final StringBuilder pending = new StringBuilder(FLUSH_AT + 1024);
    /** Per open container: whether it has had a member yet. */
    private final BitSet hasMember = new BitSet();
    private int depth;

    private ReferenceChecksum() {
    }

    /**
     * The SHA-256 as lower-case hex.
     *
     * @param json the decoded JSON state (decompressed if it was compressed); read to its end, not closed
     * @return 64 hex digits
     * @throws IOException when the stream fails or is not one JSON object
     */
    public static String sha256Hex(InputStream json) throws IOException {
        ReferenceChecksum r = new ReferenceChecksum();
        try (JsonParser p = JsonSetup.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a reference state is one JSON object");
            }
            r.walk(p);
            if (p.nextToken() != null) {
                throw new IOException("content after the state object");
            }
        }
        r.flush();
        return HexFormat.of().formatHex(r.sha.digest());
    }

    private void walk(JsonParser p) throws IOException {
        open('{');
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            switch (t) {
                case FIELD_NAME -> {
                    String name = p.currentName();
                    if (depth == 1 && name.equals("checksum")) {
                        p.nextToken();
                        p.skipChildren(); // not part of what was hashed
                        continue;
                    }
                    separate();
                    JavaScriptJson.quote(pending, name);
                    pending.append(':');
                    hasMember.clear(depth); // the value follows without a comma
                }
                case START_OBJECT -> {
                    separate();
                    open('{');
                }
                case START_ARRAY -> {
                    separate();
                    open('[');
                }
                case END_OBJECT, END_ARRAY -> {
                    pending.append(t == JsonToken.END_OBJECT ? '}' : ']');
                    depth--;
                    hasMember.set(depth);
                    if (depth == 0) {
                        return;
                    }
                }
                case VALUE_STRING -> value(null, p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value(JavaScriptJson.number(p.getDoubleValue()), null);
                case VALUE_TRUE -> value("true", null);
                case VALUE_FALSE -> value("false", null);
                case VALUE_NULL -> value("null", null);
                default -> throw new IOException("unexpected " + t);
            }
            if (pending.length() >= FLUSH_AT) {
                flush();
            }
        }
        throw new IOException("the state object ends early");
    }

    private void value(String literal, String string) {
        separate();
        if (string != null) {
            JavaScriptJson.quote(pending, string);
        } else {
            pending.append(literal);
        }
        hasMember.set(depth);
    }

    /** Writes the comma before a member, unless it is the first one or follows its key. */
    private void separate() {
        if (hasMember.get(depth)) {
            pending.append(',');
        }
    }

    private void open(char bracket) {
        pending.append(bracket);
        depth++;
        hasMember.clear(depth);
    }

    private void flush() {
        sha.update(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
