package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lattice.api.Json;
import io.lattice.core.NodeTelemetry;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The node side of the gateway over real HTTP: heartbeats in, registry, models and health out. */
class HeartbeatEndpointTest {

    /** Holds the gateway's ledger: a test never writes to the user's store. */
    @TempDir
    Path dir;

    private static final String HEARTBEAT = "/lattice/v1/nodes/heartbeat";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private Gateway gateway;
    private Http http;

    @BeforeEach
    void start() {
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStoreUrl("sqlite:" + dir.resolve("lattice.db")).withClock(clock)
                .withHeartbeatTimeout(Duration.ofSeconds(3)));
        http = new Http(gateway.baseUrl());
    }

    @AfterEach
    void stop() {
        http.close();
        gateway.close();
    }

    @Test
    void heartbeat_isAnswered204AndTheNodeIsListedLive() {
        NodeTelemetry t = Telemetries.node("farm-1", "farm", "http://127.0.0.1:9001/", Telemetries.CHAT_MODEL);

        HttpResponse<String> response = http.heartbeat(t);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        JsonNode node = Http.json(http.get("/lattice/v1/nodes")).get("data").get(0);
        assertThat(node.get("node_id").asText()).isEqualTo("farm-1");
        assertThat(node.get("site_id").asText()).isEqualTo("farm");
        assertThat(node.get("base_url").asText()).isEqualTo("http://127.0.0.1:9001");
        assertThat(node.get("live").asBoolean()).isTrue();
        assertThat(node.get("last_heartbeat_age_ms").asLong()).isZero();
        assertThat(node.get("models").get(0).get("id").asText()).isEqualTo("tiny-chat");
        assertThat(node.get("models").get(0).get("capabilities")).extracting(JsonNode::asText)
                .containsExactly("chat", "completions");
        assertThat(node.get("power_watts").asDouble()).isEqualTo(40.0);
        assertThat(node.get("power_estimated").asBoolean()).isTrue();
        assertThat(node.get("gateway_in_flight").asInt()).isZero();
    }

    @Test
    void nodeThatStopsHeartbeating_isShownStaleAndLiveAgainWhenItResumes() {
        NodeTelemetry t = Telemetries.node("farm-1", "farm", "http://127.0.0.1:9001", Telemetries.CHAT_MODEL);
        http.heartbeat(t);

        clock.advance(Duration.ofMillis(3500));
        JsonNode stale = Http.json(http.get("/lattice/v1/nodes")).get("data").get(0);
        assertThat(stale.get("live").asBoolean()).isFalse();
        assertThat(stale.get("last_heartbeat_age_ms").asLong()).isEqualTo(3500);
        assertThat(Http.json(http.get("/v1/models")).get("data")).isEmpty();

        http.heartbeat(t);
        JsonNode back = Http.json(http.get("/lattice/v1/nodes")).get("data").get(0);
        assertThat(back.get("live").asBoolean()).isTrue();
        assertThat(Http.json(http.get("/v1/models")).get("data")).extracting(m -> m.get("id").asText())
                .containsExactly("tiny-chat");
    }

    @Test
    void modelsList_isTheUnionOverLiveNodesInOpenAiShape() {
        http.heartbeat(Telemetries.node("a", "s1", "http://127.0.0.1:9001", Telemetries.CHAT_MODEL,
                Telemetries.EMBEDDING_MODEL));
        http.heartbeat(Telemetries.node("b", "s2", "http://127.0.0.1:9002", Telemetries.CHAT_MODEL));

        JsonNode list = Http.json(http.get("/v1/models"));

        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).extracting(m -> m.get("id").asText()).containsExactly("tiny-chat", "tiny-embed");
        assertThat(list.get("data")).allSatisfy(m -> {
            assertThat(m.get("object").asText()).isEqualTo("model");
            assertThat(m.get("owned_by").asText()).isEqualTo("lattice");
            assertThat(m.get("created").isIntegralNumber()).isTrue();
        });
    }

    @Test
    void oneModel_isFoundWhileServedAndModelNotFoundOtherwise() {
        http.heartbeat(Telemetries.node("a", "s1", "http://127.0.0.1:9001", Telemetries.CHAT_MODEL));

        HttpResponse<String> found = http.get("/v1/models/tiny-chat");
        HttpResponse<String> missing = http.get("/v1/models/nope");

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(Http.json(found).get("id").asText()).isEqualTo("tiny-chat");
        GatewayErrorsTest.assertError(missing, 404, "invalid_request_error", "model_not_found");
    }

    @Test
    void health_countsKnownAndLiveNodes() {
        http.heartbeat(Telemetries.node("a", "s1", "http://127.0.0.1:9001", Telemetries.CHAT_MODEL));
        clock.advance(Duration.ofSeconds(10));
        http.heartbeat(Telemetries.node("b", "s2", "http://127.0.0.1:9002", Telemetries.CHAT_MODEL));

        JsonNode health = Http.json(http.get("/lattice/v1/health"));

        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("nodes").asInt()).isEqualTo(2);
        assertThat(health.get("live_nodes").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"node_id", "site_id", "base_url", "models", "queue_depth", "in_flight",
        "tokens_per_second", "power_watts", "power_estimated", "sent_at"})
    void heartbeatWithoutAField_is400NamingIt(String field) {
        ObjectNode body = validHeartbeat();
        body.remove(field);

        JsonNode error = GatewayErrorsTest.assertError(http.post(HEARTBEAT, Json.bytes(body)), 400,
                "invalid_request_error", "invalid_value");

        assertThat(error.get("param").asText()).isEqualTo(field);
        assertThat(registeredNodes()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"queue_depth, -1", "in_flight, -3", "tokens_per_second, -0.5", "power_watts, -10",
        "queue_depth, 1.5", "power_estimated, 1", "sent_at, 12", "base_url, ftp://x:1", "base_url, not a url",
        "node_id, ''"})
    void heartbeatWithAWrongField_is400NamingIt(String field, String value) {
        ObjectNode body = validHeartbeat();
        body.set(field, Json.mapper().valueToTree(parseScalar(value)));

        JsonNode error = GatewayErrorsTest.assertError(http.post(HEARTBEAT, Json.bytes(body)), 400,
                "invalid_request_error", "invalid_value");

        assertThat(error.get("param").asText()).isEqualTo(field);
    }

    @Test
    void heartbeatWithAnUnknownCapability_is400NamingTheModel() {
        ObjectNode body = validHeartbeat();
        ((ObjectNode) body.get("models").get(0)).putArray("capabilities").add("teleport");

        JsonNode error = GatewayErrorsTest.assertError(http.post(HEARTBEAT, Json.bytes(body)), 400,
                "invalid_request_error", "invalid_value");

        assertThat(error.get("param").asText()).isEqualTo("models[0].capabilities");
    }

    @Test
    void heartbeatThatIsNotJson_is400() {
        GatewayErrorsTest.assertError(http.post(HEARTBEAT, "node a is alive"), 400, "invalid_request_error",
                "invalid_json");
    }

    private List<String> registeredNodes() {
        List<String> ids = new ArrayList<>();
        Http.json(http.get("/lattice/v1/nodes")).get("data").forEach(n -> ids.add(n.get("node_id").asText()));
        return ids;
    }

    private static ObjectNode validHeartbeat() {
        return Json.mapper().valueToTree(Telemetries.node("a", "s", "http://127.0.0.1:9001",
                Telemetries.CHAT_MODEL));
    }

    /** CSV gives strings; numbers and the empty string are sent as what they look like. */
    private static Object parseScalar(String value) {
        if (value == null) {
            return "";
        }
        try {
            return value.contains(".") ? Double.parseDouble(value) : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
