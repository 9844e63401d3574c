package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import io.lattice.core.ModelCapability;
import io.lattice.core.ServedModel;
import java.nio.file.Path;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that break off in the middle of an answer. The breaks come from {@link FaultyNode}, a fake
 * (a real node agent cannot be made to fail at an exact byte); the healthy node is a real agent.
 */
class RelayFaultsTest {

    /** Holds the gateway's ledger: a test never writes to the user's store. */
    @TempDir
    Path dir;

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
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock));
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
    void nodeThatHangs_is504AfterTheRequestTimeoutAndIsNotRetried() {
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock)
                     .withNodeRequestTimeout(Duration.ofMillis(300)));
             Http http = new Http(gateway.baseUrl());
             FaultyNode first = new FaultyNode(FaultyNode.Fault.SILENT);
             FaultyNode second = new FaultyNode(FaultyNode.Fault.SILENT)) {
            http.heartbeat(Telemetries.node("hung-1", "a", first.baseUrl(), MINILM));
            http.heartbeat(Telemetries.node("hung-2", "b", second.baseUrl(), MINILM));

            HttpResponse<String> response = http.post("/v1/embeddings",
                    "{\"model\":\"" + Mesh.EMBEDDING_MODEL + "\",\"input\":\"x\"}");

            JsonNode error = GatewayErrorsTest.assertError(response, 504, "server_error", "node_timeout");
            assertThat(error.get("message").asText()).contains("hung-1").contains("300 ms");
            assertThat(response.headers().firstValue("x-lattice-node")).hasValue("hung-1");
            assertThat(second.requests()).as("a timeout is not retried elsewhere").isZero();
        }
    }

    @Test
    void requestIdAndOriginalBody_reachTheNode() {
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock));
             Http http = new Http(gateway.baseUrl());
             FaultyNode faulty = new FaultyNode(FaultyNode.Fault.TRUNCATED_JSON)) {
            http.heartbeat(Telemetries.node("broken-1", "broken", faulty.baseUrl(), MINILM));
            String body = "{ \"model\" : \"" + Mesh.EMBEDDING_MODEL + "\", \"input\": \"x\", \"user\": \"u1\" }";

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            gateway.baseUrl().resolve("/v1/embeddings"))
                    .header("x-request-id", "client-7")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));

            assertThat(response.headers().firstValue("x-request-id")).hasValue("client-7");
            assertThat(faulty.lastRequestHead()).startsWith("post /v1/embeddings http/1.1")
                    .contains("x-request-id: client-7")
                    .contains("content-length: " + body.length());
        }
    }

    @Test
    void streamedEvents_reachTheClientWhileTheNodeIsStillWriting() throws Exception {
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock));
             Http http = new Http(gateway.baseUrl());
             FaultyNode node = new FaultyNode(FaultyNode.Fault.HELD_STREAM);
             HttpClient client = HttpClient.newHttpClient()) {
            http.heartbeat(Telemetries.node("slow-1", "slow", node.baseUrl(), CHAT));

            HttpResponse<InputStream> response = client.sendAsync(HttpRequest.newBuilder(
                                    gateway.baseUrl().resolve("/v1/chat/completions"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny-chat\","
                                    + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream())
                    // a relay that buffered the stream would hold even the headers until the node goes on
                    .get(30, TimeUnit.SECONDS);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    response.body(), StandardCharsets.UTF_8))) {
                String first = reader.readLine();
                assertThat(first).startsWith("data: ").contains("\"first\"");

                node.release();
                List<String> rest = reader.lines().filter(l -> l.startsWith("data: ")).toList();
                assertThat(rest).hasSize(2);
                assertThat(rest.get(0)).contains(" second");
                assertThat(rest.get(1)).isEqualTo("data: [DONE]");
            }
        }
    }

    @Test
    void streamThatBreaksMidway_endsWithAnErrorEventInsteadOfDone() throws IOException {
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock));
             Http http = new Http(gateway.baseUrl());
             FaultyNode faulty = new FaultyNode(FaultyNode.Fault.BROKEN_STREAM)) {
            http.heartbeat(Telemetries.node("broken-1", "broken", faulty.baseUrl(), CHAT));

            HttpResponse<InputStream> response;
            List<String> data = new java.util.ArrayList<>();
            try (HttpClient client = HttpClient.newHttpClient()) {
                response = client.send(HttpRequest.newBuilder(gateway.baseUrl().resolve("/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny-chat\",\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        if (line.startsWith("data: ")) {
                            data.add(line.substring(6));
                            if (data.size() == 2) {
                                faulty.release(); // both events arrived: now the node dies
                            }
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-lattice-node")).hasValue("broken-1");
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
