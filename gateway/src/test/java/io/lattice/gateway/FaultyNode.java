package io.lattice.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE node, for behaviour a real node agent does not show on demand: it answers every request
 * with the start of a valid HTTP/1.1 response and then drops the connection, or pauses mid-stream
 * until the test lets it go on. It speaks raw HTTP over a socket so that the break or pause is
 * exactly where the test wants it.
 */
final class FaultyNode implements AutoCloseable {

    /** Where the answer breaks off. */
    enum Fault {
        /** {@code 200 application/json} announcing 100 bytes, then 10 bytes, then the socket closes. */
        TRUNCATED_JSON,
        /**
         * {@code 200 text/event-stream}, two chat chunks, 100 ms later the socket closes without ending
         * the stream.
         */
        BROKEN_STREAM,
        /**
         * Not a fault but a node that pauses: one chat chunk, then nothing until {@link #release()},
         * then a last chunk and {@code [DONE]}. Shows whether the relay passes events on as they come.
         */
        HELD_STREAM,
        /** Reads the request and says nothing until {@link #release()}: a node that hangs. */
        SILENT
    }

    private final Fault fault;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String lastRequestHead = "";

    FaultyNode(Fault fault) {
        this.fault = fault;
        try {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = Thread.ofVirtual().name("faulty-node").start(this::accept);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Lets a {@link Fault#HELD_STREAM} answer go on, or a {@link Fault#BROKEN_STREAM} one break. */
    void release() {
        released.countDown();
    }

    /** The request line and headers of the last request, lower-cased. */
    String lastRequestHead() {
        return lastRequestHead;
    }

    /** Requests received so far. */
    int requests() {
        return requests.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread.ofVirtual().start(() -> answer(connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void answer(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            lastRequestHead = readRequest(in);
            requests.incrementAndGet();
            OutputStream out = connection.getOutputStream();
            switch (fault) {
                case TRUNCATED_JSON -> out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                        + "content-length: 100\r\n\r\n{\"object\":").getBytes(StandardCharsets.US_ASCII));
                case BROKEN_STREAM -> {
                    out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                            + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk(event("assistant", "")));
                    out.write(chunk(event(null, "Hello")));
                    out.flush();
                    // crash only once the test has seen the events come through the gateway, as from a
                    // node that dies while generating
                    await();
                }
                case HELD_STREAM -> {
                    out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                            + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk(event("assistant", "first")));
                    out.flush();
                    await();
                    out.write(chunk(event(null, " second")));
                    out.write(chunk("data: [DONE]\n\n"));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                case SILENT -> await();
            }
            out.flush();
        } catch (IOException e) {
            // the gateway hung up first; nothing to do
        }
    }

    private void await() {
        try {
            if (!released.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held stream");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String event(String role, String content) {
        String delta = (role == null ? "" : "\"role\":\"" + role + "\",") + "\"content\":\"" + content + "\"";
        return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                + "\"model\":\"tiny-chat\",\"choices\":[{\"index\":0,\"delta\":{" + delta + "},"
                + "\"finish_reason\":null}]}\n\n";
    }

    private static byte[] chunk(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Reads the request head and its Content-Length body; returns the head, lower-cased. */
    private static String readRequest(InputStream in) throws IOException {
        int contentLength = 0;
        StringBuilder head = new StringBuilder();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            if (b == '\n') {
                String l = line.toString().strip();
                if (l.isEmpty()) {
                    break;
                }
                head.append(l.toLowerCase(Locale.ROOT)).append('\n');
                if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(l.substring(15).strip());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        in.readNBytes(contentLength);
        return head.toString();
    }

    @Override
    public void close() {
        released.countDown();
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        acceptor.interrupt();
    }
}
