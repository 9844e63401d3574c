package io.lattice.node;

import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import io.lattice.api.NodeProtocol;
import io.lattice.core.NodeTelemetry;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Sends the node's telemetry to each of its gateways about once per interval
 * ({@code POST <gateway>/lattice/v1/nodes/heartbeat}); the first heartbeat a gateway gets announces
 * the node.
 *
 * <p>A gateway that is down changes nothing for the node: the heartbeat to it fails, the others
 * still go out, and the next interval tries again. The log says once that a gateway became
 * unreachable and once that it is back, never once per failed heartbeat.
 *
 * <p>One virtual thread runs the loop; gateways are contacted in parallel and a slow one delays the
 * next round by at most the request timeout. Thread-safe; {@link #close()} is idempotent.
 */
final class Heartbeats implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Heartbeats.class.getName());

    /** What the log last said about one gateway. */
    private enum Reach { UNKNOWN, REACHABLE, UNREACHABLE }

    private static final class Gateway {
        final URI base;
        final URI heartbeat;
        Reach reach = Reach.UNKNOWN;

        Gateway(URI base) {
            this.base = base;
            String root = base.toString();
            while (root.endsWith("/")) {
                root = root.substring(0, root.length() - 1);
            }
            this.heartbeat = URI.create(root + NodeProtocol.HEARTBEAT);
        }
    }

    private final String nodeId;
    private final List<Gateway> gateways;
    private final Duration interval;
    private final Duration timeout;
    private final Supplier<NodeTelemetry> telemetry;
    private final HttpClient client;
    private final Thread thread;
    private volatile boolean closed;

    Heartbeats(String nodeId, List<URI> gateways, Duration interval, Supplier<NodeTelemetry> telemetry) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.gateways = gateways.stream().map(Gateway::new).toList();
        this.interval = Objects.requireNonNull(interval, "interval");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        // long enough for a busy gateway, short enough that a black-holed one cannot stall the loop for long
        this.timeout = interval.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                : interval.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : interval;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        this.thread = Thread.ofVirtual().name("lattice-heartbeat-" + nodeId).unstarted(this::loop);
    }

    /** Starts the loop; the first heartbeat goes out at once. */
    void start() {
        if (!gateways.isEmpty()) {
            thread.start();
        }
    }

    private void loop() {
        long next = System.nanoTime();
        while (!closed) {
            beat();
            next += interval.toNanos();
            long now = System.nanoTime();
            if (next < now) {
                // a slow round: skip the missed beats instead of sending a burst to catch up
                next = now;
            }
            LockSupport.parkNanos(next - now);
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    /** One round: the same telemetry to every gateway, in parallel. Never throws. */
    void beat() {
        try {
            byte[] body = Json.bytes(telemetry.get());
            CompletableFuture<?>[] sends = gateways.stream().map(g -> {
                HttpRequest request = HttpRequest.newBuilder(g.heartbeat)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header(LatticeHeaders.NODE, nodeId)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .handle((response, failure) -> {
                            outcome(g, response, failure);
                            return null;
                        });
            }).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(sends).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the loop must survive anything; a bug here must not stop the node from serving
            LOG.log(Level.DEBUG, "heartbeat round failed", e);
        }
    }

    private void outcome(Gateway g, HttpResponse<?> response, Throwable failure) {
        if (closed) {
            return;
        }
        String problem = failure != null ? describe(failure)
                : response.statusCode() / 100 != 2 ? "it answered HTTP " + response.statusCode() : null;
        synchronized (g) {
            if (problem == null) {
                if (g.reach == Reach.UNKNOWN) {
                    LOG.log(Level.INFO, "node " + nodeId + " joined gateway " + g.base);
                } else if (g.reach == Reach.UNREACHABLE) {
                    LOG.log(Level.INFO, "gateway " + g.base + " is reachable again; node " + nodeId + " rejoined it");
                }
                g.reach = Reach.REACHABLE;
            } else {
                if (g.reach != Reach.UNREACHABLE) {
                    LOG.log(Level.WARNING, "gateway " + g.base + " is unreachable (" + problem + "); node " + nodeId
                            + " keeps serving and retries every " + interval.toMillis() + " ms without logging"
                            + " each failure");
                }
                g.reach = Reach.UNREACHABLE;
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String text = t.getClass().getSimpleName();
        if (t.getMessage() != null) {
            return text + ": " + t.getMessage();
        }
        // the JDK client's ConnectException often has no message; its cause says more
        return t.getCause() == null ? text : text + " (" + describe(t.getCause()) + ")";
    }

    /** Stops the loop and the HTTP client; waits up to about a second. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.shutdownNow();
    }
}
