package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.LatticeHeaders;
import io.lattice.core.Candidate;
import io.lattice.core.Placement;
import io.lattice.core.PlacementPolicy;
import io.lattice.core.WorkRequest;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad request and every mesh shortage gets its documented status and OpenAI error JSON from a
 * real gateway on a free loopback port. No node runs: requests that fail validation never need one,
 * and unreachable nodes are real closed ports.
 */
class GatewayErrorsTest {

    /** Holds the gateway's ledger: a test never writes to the user's store. */
    @TempDir
    Path dir;

    private static final long BODY_LIMIT = 4096;
    private static final String CHAT = "/v1/chat/completions";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private Gateway gateway;
    private Http http;

    @BeforeEach
    void start() {
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock).withMaxBodyBytes(BODY_LIMIT)
                .withNodeConnectTimeout(Duration.ofSeconds(2)));
        http = new Http(gateway.baseUrl());
    }

    @AfterEach
    void stop() {
        http.close();
        gateway.close();
    }

    @Test
    void malformedJson_is400InvalidJson() {
        HttpResponse<String> response = http.post(CHAT, "{\"model\": \"tiny-chat\", ");

        JsonNode error = assertError(response, 400, "invalid_request_error", "invalid_json");
        assertThat(error.get("message").asText()).contains("could not parse the JSON body");
    }

    @Test
    void bodyThatIsNotAnObject_is400InvalidJson() {
        assertError(http.post(CHAT, "[1, 2]"), 400, "invalid_request_error", "invalid_json");
    }

    @Test
    void emptyBody_is400InvalidJson() {
        assertError(http.post(CHAT, ""), 400, "invalid_request_error", "invalid_json");
    }

    @Test
    void missingModel_is400NamingModel() {
        HttpResponse<String> response = http.post(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode error = assertError(response, 400, "invalid_request_error", "invalid_value");
        assertThat(error.get("param").asText()).isEqualTo("model");
    }

    @Test
    void missingMessages_is400NamingMessages() {
        JsonNode error = assertError(http.post(CHAT, "{\"model\":\"tiny-chat\"}"), 400, "invalid_request_error",
                "invalid_value");
        assertThat(error.get("param").asText()).isEqualTo("messages");
    }

    @Test
    void temperatureOutOfRange_is400NamingTemperature() {
        HttpResponse<String> response = http.post(CHAT, "{\"model\":\"tiny-chat\",\"temperature\":3.5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode error = assertError(response, 400, "invalid_request_error", "invalid_value");
        assertThat(error.get("param").asText()).isEqualTo("temperature");
        assertThat(error.get("message").asText()).contains("3.5");
    }

    @Test
    void missingEmbeddingInput_is400NamingInput() {
        JsonNode error = assertError(http.post("/v1/embeddings", "{\"model\":\"tiny-embed\"}"), 400,
                "invalid_request_error", "invalid_value");
        assertThat(error.get("param").asText()).isEqualTo("input");
    }

    @Test
    void missingCompletionPrompt_is400NamingPrompt() {
        JsonNode error = assertError(http.post("/v1/completions", "{\"model\":\"tiny-chat\"}"), 400,
                "invalid_request_error", "invalid_value");
        assertThat(error.get("param").asText()).isEqualTo("prompt");
    }

    @Test
    void unknownModel_is404ModelNotFound() {
        HttpResponse<String> response = http.post(CHAT, chat("no-such-model"));

        JsonNode error = assertError(response, 404, "invalid_request_error", "model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("no-such-model");
    }

    @Test
    void embeddingModelOnChatEndpoint_is404SayingWhereItIsServed() {
        http.heartbeat(Telemetries.node("n1", "s1", Telemetries.deadUrl(), Telemetries.EMBEDDING_MODEL));

        JsonNode error = assertError(http.post(CHAT, chat("tiny-embed")), 404, "invalid_request_error",
                "model_not_found");
        assertThat(error.get("message").asText()).contains("/v1/embeddings");
    }

    @Test
    void bodyOverTheLimitWithContentLength_is413Json() {
        String big = chat("tiny-chat").replace("hi", "x".repeat((int) BODY_LIMIT));

        HttpResponse<String> response = http.post(CHAT, big);

        JsonNode error = assertError(response, 413, "invalid_request_error", "request_too_large");
        assertThat(error.get("message").asText()).contains(Long.toString(BODY_LIMIT));
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void chunkedBodyOverTheLimit_is413Json() {
        byte[] big = chat("tiny-chat").replace("hi", "x".repeat((int) BODY_LIMIT)).getBytes(StandardCharsets.UTF_8);
        // a publisher of unknown length makes the client send chunked encoding, without Content-Length
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.baseUrl().resolve(CHAT))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));

        assertError(response, 413, "invalid_request_error", "request_too_large");
    }

    @Test
    void modelWhoseNodesWentStale_is503WithRetryAfterAndMeshSnapshot() {
        http.heartbeat(Telemetries.node("farm-1", "farm", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));
        http.heartbeat(Telemetries.node("park-1", "park", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));
        clock.advance(Duration.ofMillis(7200));

        HttpResponse<String> response = http.post(CHAT, chat("tiny-chat"));

        JsonNode error = assertError(response, 503, "server_error", "no_live_node");
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        assertThat(error.get("message").asText())
                .contains("2 nodes serve it, 0 live, 2 stale")
                .contains("farm-1 last heartbeat 7.2 s ago")
                .contains("park-1 last heartbeat 7.2 s ago")
                .contains("3.0 s");
    }

    @Test
    void unreachableNode_is502WithNodeHeaders() {
        String url = Telemetries.deadUrl();
        http.heartbeat(Telemetries.node("farm-1", "farm", url, Telemetries.CHAT_MODEL));

        HttpResponse<String> response = http.post(CHAT, chat("tiny-chat"));

        JsonNode error = assertError(response, 502, "server_error", "node_unreachable");
        assertThat(response.headers().firstValue(LatticeHeaders.NODE)).hasValue("farm-1");
        assertThat(response.headers().firstValue(LatticeHeaders.SITE)).hasValue("farm");
        assertThat(error.get("message").asText()).contains("farm-1 at " + url).contains("refused")
                .contains("no other live node serves it");
    }

    @Test
    void unreachableNode_isRetriedOnceOnAnotherNode() {
        http.heartbeat(Telemetries.node("farm-1", "farm", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));
        http.heartbeat(Telemetries.node("park-1", "park", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));
        http.heartbeat(Telemetries.node("city-1", "city", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));

        HttpResponse<String> response = http.post(CHAT, chat("tiny-chat"));

        JsonNode error = assertError(response, 502, "server_error", "node_unreachable");
        String message = error.get("message").asText();
        // two attempts, never three: exactly two of the three nodes are named
        long named = java.util.stream.Stream.of("farm-1", "park-1", "city-1").filter(message::contains).count();
        assertThat(named).isEqualTo(2);
    }

    @Test
    void policyThatChoosesNoLiveNode_is503NoCapacity() {
        try (Gateway picky = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withPolicy(new PlacementPolicy() {
                @Override
                public String name() {
                    return "never";
                }

                @Override
                public Optional<Placement> place(WorkRequest work, List<Candidate> candidates) {
                    return Optional.empty();
                }
            }));
             Http client = new Http(picky.baseUrl())) {
            client.heartbeat(Telemetries.node("farm-1", "farm", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));

            HttpResponse<String> response = client.post(CHAT, chat("tiny-chat"));

            JsonNode error = assertError(response, 503, "server_error", "no_capacity");
            assertThat(error.get("message").asText()).contains("'never'").contains("1 live node");
            assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        }
    }

    @Test
    void bugInThePolicy_is500JsonWithTheRequestIdAndNoStackTrace() {
        try (Gateway broken = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withPolicy(new PlacementPolicy() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public Optional<Placement> place(WorkRequest work, List<Candidate> candidates) {
                    throw new IllegalStateException("a bug the client must not see");
                }
            }));
             Http client = new Http(broken.baseUrl())) {
            client.heartbeat(Telemetries.node("farm-1", "farm", Telemetries.deadUrl(), Telemetries.CHAT_MODEL));

            HttpResponse<String> response = client.post(CHAT, chat("tiny-chat"));

            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode error = Http.json(response).get("error");
            assertThat(error.get("type").asText()).isEqualTo("server_error");
            assertThat(error.get("message").asText())
                    .contains(response.headers().firstValue("x-request-id").orElseThrow())
                    .doesNotContain("a bug the client must not see").doesNotContain("IllegalStateException");
        }
    }

    @Test
    void unknownPath_is404Json() {
        JsonNode error = assertError(http.get("/v2/everything"), 404, "invalid_request_error", "unknown_url");
        assertThat(error.get("message").asText()).contains("GET /v2/everything");
    }

    @Test
    void wrongMethod_is405WithAllow() {
        HttpResponse<String> response = http.get(CHAT);

        assertError(response, 405, "invalid_request_error", "method_not_allowed");
        assertThat(response.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void postToModels_is405() {
        HttpResponse<String> response = http.post("/v1/models", "{}");

        assertError(response, 405, "invalid_request_error", "method_not_allowed");
        assertThat(response.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void requestId_isEchoedWhenGivenAndCreatedWhenNot() {
        HttpResponse<String> given = http.send(HttpRequest.newBuilder(gateway.baseUrl().resolve(CHAT))
                .header("x-request-id", "client-42")
                .POST(HttpRequest.BodyPublishers.ofString("{")));
        HttpResponse<String> created = http.post(CHAT, "{");
        HttpResponse<String> injected = http.send(HttpRequest.newBuilder(gateway.baseUrl().resolve(CHAT))
                .header("x-request-id", "x".repeat(500))
                .POST(HttpRequest.BodyPublishers.ofString("{")));

        assertThat(given.headers().firstValue("x-request-id")).hasValue("client-42");
        assertThat(created.headers().firstValue("x-request-id")).hasValueSatisfying(
                id -> assertThat(id).matches("req_[0-9a-f]{24}"));
        assertThat(injected.headers().firstValue("x-request-id")).hasValueSatisfying(
                id -> assertThat(id).startsWith("req_"));
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    /** Asserts an OpenAI error body with this status, type and code, and returns its {@code error}. */
    static JsonNode assertError(HttpResponse<String> response, int status, String type, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        JsonNode error = Http.json(response).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        return error;
    }
}
