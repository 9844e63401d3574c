package io.lattice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** Waits until a gateway lists enough live nodes, so the first request finds them. */
final class MeshReady {

    private MeshReady() {
    }

    /**
     * Polls {@code /lattice/v1/health} until it reports {@code expected} live nodes.
     *
     * <p>Why polling with a fixed pause: nodes join by heartbeats that reach the gateway on their own
     * schedule, and the gateway's health answer is the one place a command sees that from outside.
     * The pause is a tenth of the heartbeat interval, so a joined mesh is noticed within 0.1 s.
     *
     * @throws IllegalStateException naming how many joined when {@code timeout} passes first
     */
    static void await(URI gateway, int expected, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/lattice/v1/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int live = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode health = Json.mapper().readTree(r.body());
                live = health.path("live_nodes").asInt();
                if (live >= expected) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(String.format(Locale.ROOT,
                "only %d of %d nodes joined the gateway within %d s; run with --verbose to see why", live, expected,
                timeout.toSeconds()));
    }
}
