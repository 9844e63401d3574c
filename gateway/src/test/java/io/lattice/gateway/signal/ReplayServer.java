package io.lattice.gateway.signal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 and a free port that replays provider responses from test resources,
 * records every request, and can be switched to a fault per path prefix: a status with a body, or a hang
 * (the handler waits until the server closes, so the client's request timeout fires; no sleeping).
 */
final class ReplayServer implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, URI uri, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private record Reply(int status, String body, boolean hang) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    ReplayServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers requests whose path starts with {@code pathPrefix} with 200 and the resource's text (see {@link #respond}). */
    ReplayServer replay(String pathPrefix, String resource) {
        return respond(pathPrefix, 200, resource(resource));
    }

    /**
     * Answers requests whose path starts with {@code pathPrefix} with this status and body, replacing every
     * answer set before for that prefix or a longer one under it.
     */
    ReplayServer respond(String pathPrefix, int status, String body) {
        replies.keySet().removeIf(k -> k.startsWith(pathPrefix));
        replies.put(pathPrefix, new Reply(status, body, false));
        return this;
    }

    /** Never answers requests whose path starts with {@code pathPrefix} (until the server closes). */
    ReplayServer hang(String pathPrefix) {
        replies.keySet().removeIf(k -> k.startsWith(pathPrefix));
        replies.put(pathPrefix, new Reply(0, "", true));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    static String resource(String name) {
        try (InputStream in = ReplayServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name + " next to " + ReplayServer.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri, Map.copyOf(exchange.getRequestHeaders())));
            // the longest matching prefix wins, so "/intensity/" can differ from "/intensity"
            Reply reply = replies.entrySet().stream().filter(e -> uri.getPath().startsWith(e.getKey()))
                    .max(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(String::length)))
                    .map(Map.Entry::getValue).orElse(new Reply(404, "{\"message\":\"no such path\"}", false));
            if (reply.hang()) {
                try {
                    closing.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
