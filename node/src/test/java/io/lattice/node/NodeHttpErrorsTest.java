package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal that needs no engine, over real HTTP: each is OpenAI error JSON with the right
 * status and the node's headers.
 */
class NodeHttpErrorsTest {

    private static NodeAgent node;
    private static Http http;

    @BeforeAll
    static void start() {
        node = NodeAgent.start(NodeConfig.builder("err-node", "err-site").maxBodyBytes(1024).build(), List.of());
        http = new Http(node.baseUrl());
    }

    @AfterAll
    static void stop() {
        http.close();
        node.close();
    }

    private static JsonNode assertError(Http.Reply reply, int status, String code, String param) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("content-type")).startsWith("application/json");
        assertThat(reply.header("x-lattice-node")).isEqualTo("err-node");
        assertThat(reply.header("x-lattice-site")).isEqualTo("err-site");
        assertThat(reply.header("x-request-id")).isNotBlank();
        JsonNode error = reply.json().get("error");
        assertThat(error).as(reply.body()).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(error.has("type")).isTrue();
        assertThat(error.get("code").isNull() ? null : error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("param").isNull() ? null : error.get("param").asText()).isEqualTo(param);
        return error;
    }

    @Test
    void unknownPath_is404() {
        JsonNode error = assertError(http.get("/v2/nothing"), 404, "unknown_url", null);
        assertThat(error.get("message").asText()).contains("GET /v2/nothing");
    }

    @Test
    void wrongMethod_is405WithAllow() {
        Http.Reply chat = http.get("/v1/chat/completions");
        assertError(chat, 405, "method_not_allowed", null);
        assertThat(chat.header("allow")).isEqualTo("POST");

        Http.Reply models = http.post("/v1/models", "{}");
        assertError(models, 405, "method_not_allowed", null);
        assertThat(models.header("allow")).isEqualTo("GET");

        assertError(http.send("DELETE", "/lattice/v1/health", HttpRequest.BodyPublishers.noBody()), 405,
                "method_not_allowed", null);
    }

    @Test
    void malformedJson_is400() {
        JsonNode error = assertError(http.post("/v1/chat/completions", "{\"model\": "), 400, "invalid_json", null);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertError(http.post("/v1/embeddings", "[1, 2]"), 400, "invalid_json", null);
        assertError(http.post("/v1/completions", ""), 400, "invalid_json", null);
    }

    @Test
    void badField_is400NamingTheField() {
        JsonNode error = assertError(http.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}"), 400,
                "invalid_value", "messages");
        assertThat(error.get("message").asText()).contains("messages");
        assertError(http.post("/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":9}"), 400,
                "invalid_value", "temperature");
        assertError(http.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"hex\"}"),
                400, "invalid_value", "encoding_format");
    }

    @Test
    void unknownModel_is404ModelNotFound() {
        JsonNode error = assertError(http.post("/v1/chat/completions",
                "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404,
                "model_not_found", "model");
        assertThat(error.get("message").asText()).contains("'gpt-9'", "err-node");
        assertError(http.post("/v1/embeddings", "{\"model\":\"gpt-9\",\"input\":\"x\"}"), 404, "model_not_found",
                "model");
        assertError(http.get("/v1/models/gpt-9"), 404, "model_not_found", "model");
        assertError(http.get("/v1/models/org/gpt-9"), 404, "model_not_found", "model");
    }

    @Test
    void bodyOverTheLimit_is413() {
        String big = "{\"model\":\"m\",\"input\":\"" + "x".repeat(2000) + "\"}";
        JsonNode error = assertError(http.post("/v1/embeddings", big), 413, "request_too_large", null);
        assertThat(error.get("message").asText()).contains("1024 bytes");
    }

    @Test
    void chunkedBodyOverTheLimit_is413() {
        byte[] big = ("{\"model\":\"m\",\"input\":\"" + "x".repeat(2000) + "\"}").getBytes();
        // a body of unknown length goes out chunked, without Content-Length
        Http.Reply reply = http.send(HttpRequest.newBuilder(node.baseUrl().resolve("/v1/embeddings"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))), Map.of());
        assertError(reply, 413, "request_too_large", null);
    }

    @Test
    void malformedHttp_isStillOpenAiErrorJson() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).containsIgnoringCase("content-type: application/json");
            assertThat(response).contains("{\"error\":{\"message\":");
        }
    }

    @Test
    void requestId_isEchoedWhenSaneAndCreatedOtherwise() {
        Http.Reply echoed = http.send(HttpRequest.newBuilder(node.baseUrl().resolve("/v1/models")).GET(),
                Map.of("x-request-id", "trace-42.a"));
        assertThat(echoed.header("x-request-id")).isEqualTo("trace-42.a");

        Http.Reply created = http.get("/v1/models");
        assertThat(created.header("x-request-id")).startsWith("req_");

        Http.Reply replaced = http.send(HttpRequest.newBuilder(node.baseUrl().resolve("/v1/models")).GET(),
                Map.of("x-request-id", "x".repeat(300)));
        assertThat(replaced.header("x-request-id")).startsWith("req_");
    }

    @Test
    void health_reportsIdentityModelsAndUptime() {
        Http.Reply reply = http.get("/lattice/v1/health");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-lattice-node")).isEqualTo("err-node");
        JsonNode health = reply.json();
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("node_id").asText()).isEqualTo("err-node");
        assertThat(health.get("site_id").asText()).isEqualTo("err-site");
        assertThat(health.get("base_url").asText()).isEqualTo(node.baseUrl().toString());
        assertThat(health.get("models").isArray()).isTrue();
        assertThat(health.get("uptime_seconds").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(health.get("queue_depth").asInt()).isZero();
        assertThat(health.get("in_flight").asInt()).isZero();
    }

    @Test
    void models_withNoEngines_isAnEmptyList() {
        Http.Reply reply = http.get("/v1/models");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("object").asText()).isEqualTo("list");
        assertThat(reply.json().get("data")).isEmpty();
    }
}
