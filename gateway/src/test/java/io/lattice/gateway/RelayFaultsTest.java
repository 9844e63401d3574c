package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import io.lattice.core.ModelCapability;
import io.lattice.core.ServedModel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Nodes that break off in the middle of an answer. The breaks come from {@link FaultyNode}, a fake
 * (a real node agent cannot be made to fail at an exact byte); the healthy node is a real agent.
 */
class RelayFaultsTest {

    private static final ServedModel MINILM = new ServedModel(Mesh.EMBEDDING_MODEL,
            Set.of(ModelCapability.EMBEDDINGS), "onnx");
    private static final ServedModel CHAT = new ServedModel("tiny-chat", Set.of(ModelCapability.CHAT), "gguf");

    // frozen: heartbeats sent by hand once stay fresh for the whole test
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void nodeThatDiesBeforeTheClientSawAByte_isReplacedByAnotherNode() {
        try (Mesh mesh = Mesh.start(GatewayConfig.defaults().withClock(clock), false, "park");
             FaultyNode faulty = new FaultyNode(FaultyNode.Fault.TRUNCATED_JSON)) {
            mesh.http().heartbeat(Telemetries.node("broken-1", "broken", faulty.baseUrl(), MINILM));

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = mesh.http().post("/v1/embeddings",
                        "{\"model\":\"" + Mesh.EMBEDDING_MODEL + "\",\"input\":\"text " + i + "\"}");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-lattice-node")).hasValue("park-1");
                assertThat(Http.json(response).get("data").get(0).get("embedding")).hasSize(384);
            }
            assertThat(faulty.requests()).as("the broken node was tried").isPositive();
            assertThat(mesh.registryEntry("broken-1").get("gateway_in_flight").asInt()).isZero();
        }
    }

    @Test
    void onlyNodeDiesMidAnswer_is502NamingIt() {
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withClock(clock));
             Http http = new Http(gateway.baseUrl());
             FaultyNode faulty = new FaultyNode(FaultyNode.Fault.TRUNCATED_JSON)) {
            http.heartbeat(Telemetries.node("broken-1", "broken", faulty.baseUrl(), MINILM));

            HttpResponse<String> response = http.post("/v1/embeddings",
                    "{\"model\":\"" + Mesh.EMBEDDING_MODEL + "\",\"input\":\"x\"}");

            JsonNode error = GatewayErrorsTest.assertError(response, 502, "server_error", "node_unreachable");
            assertThat(error.get("message").asText()).contains("broken-1").contains("failed before answering");
            assertThat(response.headers().firstValue("x-lattice-node")).hasValue("broken-1");
        }
    }

    @Test
    void streamThatBreaksMidway_endsWithAnErrorEventInsteadOfDone() throws IOException {
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withClock(clock));
             Http http = new Http(gateway.baseUrl());
             FaultyNode faulty = new FaultyNode(FaultyNode.Fault.BROKEN_STREAM)) {
            http.heartbeat(Telemetries.node("broken-1", "broken", faulty.baseUrl(), CHAT));

            HttpResponse<String> response = http.post("/v1/chat/completions", "{\"model\":\"tiny-chat\","
                    + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-lattice-node")).hasValue("broken-1");
            List<String> data = response.body().lines().filter(l -> l.startsWith("data: "))
                    .map(l -> l.substring(6)).toList();
            assertThat(data).hasSize(3).doesNotContain("[DONE]");
            assertThat(Json.mapper().readTree(data.get(1)).get("choices").get(0).get("delta").get("content").asText())
                    .isEqualTo("Hello");
            JsonNode error = Json.mapper().readTree(data.get(2)).get("error");
            assertThat(error.get("code").asText()).isEqualTo("node_stream_broken");
            assertThat(error.get("message").asText()).contains("broken-1");
            assertThat(Http.json(http.get("/lattice/v1/nodes")).get("data").get(0).get("gateway_in_flight").asInt())
                    .isZero();
        }
    }
}
