package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Nodes that die or fall silent, with real node agents and a gateway clock the test moves: a dead
 * node is retried elsewhere at once, gets no work once its heartbeats are older than the timeout,
 * and gets work again as soon as it heartbeats.
 */
class FailoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private GatewayConfig config() {
        return GatewayConfig.defaults().withClock(clock).withHeartbeatTimeout(TIMEOUT);
    }

    @Test
    void deadNodeIsRetriedElsewhere_thenGetsNoWorkOnceStale_andWorkAgainWhenItHeartbeats() {
        try (Mesh mesh = Mesh.start(config(), false, "farm", "park")) {
            mesh.stopNode("farm-1");
            long triedBefore = placed(mesh, "farm-1");

            // farm-1 is still live by its last heartbeat: requests placed there fail over to park-1
            assertThat(embedSeveral(mesh, 4)).containsOnly("park-1");
            assertThat(placed(mesh, "farm-1")).isGreaterThan(triedBefore);

            clock.advance(TIMEOUT.plusSeconds(1));
            mesh.awaitLive(Set.of("park-1"));
            JsonNode farm = mesh.registryEntry("farm-1");
            assertThat(farm.get("live").asBoolean()).isFalse();
            assertThat(farm.get("last_heartbeat_age_ms").asLong()).isGreaterThan(TIMEOUT.toMillis());
            long triedWhileStale = placed(mesh, "farm-1");

            assertThat(embedSeveral(mesh, 4)).containsOnly("park-1");
            assertThat(placed(mesh, "farm-1")).as("a stale node is not even tried").isEqualTo(triedWhileStale);

            mesh.startNode("farm-1", "farm");
            mesh.awaitLive(Set.of("farm-1", "park-1"));
            // least-loaded breaks ties by placed totals, so the returning node gets the next requests
            assertThat(embedSeveral(mesh, 4)).contains("farm-1");
        }
    }

    @Test
    void allNodesOfAModelSilent_is503WithRetryAfterAndTheirStaleness() {
        try (Mesh mesh = Mesh.start(config(), false, "farm", "park")) {
            mesh.stopNode("farm-1");
            mesh.stopNode("park-1");
            clock.advance(Duration.ofSeconds(10));

            HttpResponse<String> response = embed(mesh, "anyone there?");

            JsonNode error = GatewayErrorsTest.assertError(response, 503, "server_error", "no_live_node");
            assertThat(response.headers().firstValue("retry-after")).isPresent();
            assertThat(error.get("message").asText()).contains("2 nodes serve it, 0 live, 2 stale")
                    .contains("farm-1 last heartbeat 10.").contains("park-1 last heartbeat 10.");
        }
    }

    private static List<String> embedSeveral(Mesh mesh, int n) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = embed(mesh, "text " + i);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            nodes.add(response.headers().firstValue("x-lattice-node").orElseThrow());
        }
        return nodes;
    }

    private static HttpResponse<String> embed(Mesh mesh, String text) {
        return mesh.http().post("/v1/embeddings", "{\"model\":\"" + Mesh.EMBEDDING_MODEL + "\",\"input\":\"" + text
                + "\"}");
    }

    private static long placed(Mesh mesh, String nodeId) {
        return mesh.registryEntry(nodeId).get("placed_total").asLong();
    }
}
