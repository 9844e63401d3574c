package io.lattice.node;

import com.sun.net.httpserver.HttpServer;
import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import io.lattice.api.NodeProtocol;
import io.lattice.core.NodeTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a gateway while the real one is built: a JDK HTTP server on loopback that records
 * every heartbeat POSTed to {@code /lattice/v1/nodes/heartbeat} and answers 204, as a gateway does.
 * It parses each body into {@link NodeTelemetry}, so it also checks that a gateway can read what
 * the node sends.
 */
final class HeartbeatRecorder implements AutoCloseable {

    /** One heartbeat as it arrived. */
    record Beat(Instant receivedAt, NodeTelemetry telemetry, String nodeHeader, String contentType) {
    }

    private final HttpServer server;
    private final List<Beat> beats = new CopyOnWriteArrayList<>();

    private HeartbeatRecorder(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(NodeProtocol.HEARTBEAT, exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                NodeTelemetry t = Json.mapper().readValue(in.readAllBytes(), NodeTelemetry.class);
                beats.add(new Beat(Instant.now(), t, exchange.getRequestHeaders().getFirst(LatticeHeaders.NODE),
                        exchange.getRequestHeaders().getFirst("Content-Type")));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    /** A recorder on any free loopback port. */
    static HeartbeatRecorder start() {
        return new HeartbeatRecorder(0);
    }

    /** A recorder on {@code port}, to bring a "gateway" back where it was. */
    static HeartbeatRecorder startOn(int port) {
        return new HeartbeatRecorder(port);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Beat> beats() {
        return List.copyOf(beats);
    }

    /** Waits until at least {@code n} heartbeats arrived; fails after {@code timeout}. */
    List<Beat> awaitBeats(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (beats.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " heartbeats within " + timeout + " but got "
                        + beats.size());
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return beats();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
