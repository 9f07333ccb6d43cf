package dev.vecpersist.testkit.servers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A server that mangles uploads, for testing that a store notices: an HTTP/1.1 proxy on 127.0.0.1
 * in front of a test server on 127.0.0.1 that forwards everything unchanged, except that it flips
 * one bit in the middle of the body of each request whose request line (e.g. {@code PUT /b/k.data
 * HTTP/1.1}) the predicate selects. Bodies must have a {@code Content-Length}; a chunked request
 * ends the inspection of its connection (the rest is forwarded as is). Responses are forwarded
 * unchanged.
 */
public final class CorruptingProxy implements AutoCloseable {

    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Predicate<String> corrupt;
    private final AtomicInteger corrupted = new AtomicInteger();

    /**
     * Starts the proxy.
     *
     * @param upstreamPort the test server's port on 127.0.0.1
     * @param corrupt      selects, by request line, the requests whose body is damaged
     * @throws IOException when no port can be bound
     */
    public CorruptingProxy(int upstreamPort, Predicate<String> corrupt) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.corrupt = corrupt;
        Thread acceptor = new Thread(this::acceptLoop, "corrupting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@return the proxy's port on 127.0.0.1} */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@return how many request bodies were damaged so far} */
    public int corrupted() {
        return corrupted.get();
    }

    /** Stops accepting connections; open ones end when either side closes. */
    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                daemon(() -> requests(client, server), "proxy-requests");
                daemon(() -> copy(server, client), "proxy-responses");
            } catch (IOException e) {
                // closed, or one connection failed: the client sees its connection drop
            }
        }
    }

    /** Forwards requests one by one, damaging the selected bodies. */
    private void requests(Socket client, Socket server) {
        try (client; server) {
            InputStream in = new BufferedInputStream(client.getInputStream(), 1 << 16);
            OutputStream out = server.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                out.write(head);
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("\r\ntransfer-encoding:")) {
                    in.transferTo(out);
                    return;
                }
                long length = contentLength(lower);
                boolean damage = length > 0 && corrupt.test(text.substring(0, text.indexOf("\r\n")));
                forwardBody(in, out, length, damage ? length / 2 : -1);
                if (damage) {
                    corrupted.incrementAndGet();
                }
                out.flush();
            }
        } catch (IOException e) {
            // a side closed the connection
        }
    }

    private static void forwardBody(InputStream in, OutputStream out, long length, long flipAt) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        while (done < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - done));
            if (n < 0) {
                throw new IOException("request body ended early");
            }
            if (flipAt >= done && flipAt < done + n) {
                buffer[(int) (flipAt - done)] ^= 0x01;
            }
            out.write(buffer, 0, n);
            done += n;
        }
    }

    /** The request line and headers up to the blank line, or null at the end of the connection. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head too large");
            }
        }
        return head.toByteArray();
    }

    private static long contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int start = at + "\r\ncontent-length:".length();
        return Long.parseLong(lowerHead.substring(start, lowerHead.indexOf("\r\n", start)).strip());
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // a side closed the connection
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }
}
