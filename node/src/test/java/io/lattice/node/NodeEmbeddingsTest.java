package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.OpenAiResponses;
import io.lattice.engine.ModelSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embeddings endpoint, the models list and capacity, over real HTTP with the real ONNX MiniLM engine. */
class NodeEmbeddingsTest {

    private static final String MODEL = ModelSpec.BundledMiniLm.DEFAULT_ID;

    private static NodeAgent node;
    private static Http http;

    @BeforeAll
    static void start() {
        node = NodeAgent.start(NodeConfig.builder("emb-node", "emb-site").queueLimit(1)
                .addModel(new ModelSpec.BundledMiniLm(MODEL)).build());
        http = new Http(node.baseUrl());
    }

    @AfterAll
    static void stop() {
        http.close();
        node.close();
    }

    private static String body(String inputs, String format) {
        return "{\"model\":\"" + MODEL + "\",\"input\":" + inputs
                + (format == null ? "" : ",\"encoding_format\":\"" + format + "\"") + "}";
    }

    private static float[] floats(JsonNode embedding) {
        float[] v = new float[embedding.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) embedding.get(i).doubleValue();
        }
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void models_listsTheServedModel() {
        Http.Reply reply = http.get("/v1/models");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-lattice-node")).isEqualTo("emb-node");
        JsonNode data = reply.json().get("data");
        assertThat(data).hasSize(1);
        assertThat(data.get(0).get("id").asText()).isEqualTo(MODEL);
        assertThat(data.get(0).get("object").asText()).isEqualTo("model");
        assertThat(data.get(0).get("owned_by").asText()).isEqualTo("lattice");

        Http.Reply one = http.get("/v1/models/" + MODEL);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("id").asText()).isEqualTo(MODEL);
    }

    @Test
    void embeddings_asFloats_areOneVectorPerInputInOrder() {
        Http.Reply reply = http.post("/v1/embeddings",
                body("[\"a cat sits on the mat\",\"quarterly earnings rose\",\"a kitten sits on a rug\"]", null));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("x-lattice-site")).isEqualTo("emb-site");
        JsonNode json = reply.json();
        assertThat(json.get("object").asText()).isEqualTo("list");
        assertThat(json.get("model").asText()).isEqualTo(MODEL);
        JsonNode data = json.get("data");
        assertThat(data).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(data.get(i).get("embedding")).hasSize(384);
        }
        float[] cat = floats(data.get(0).get("embedding"));
        float[] money = floats(data.get(1).get("embedding"));
        float[] kitten = floats(data.get(2).get("embedding"));
        // a real model: the two sentences about a small cat are closer than either is to finance
        assertThat(cosine(cat, kitten)).isGreaterThan(cosine(cat, money) + 0.2);
        assertThat(json.get("usage").get("prompt_tokens").asInt()).isGreaterThan(6);
        assertThat(json.get("usage").get("total_tokens").asInt())
                .isEqualTo(json.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void embeddings_asBase64_decodeToTheFloatVector() {
        Http.Reply asFloats = http.post("/v1/embeddings", body("\"energy-aware inference\"", "float"));
        Http.Reply asBase64 = http.post("/v1/embeddings", body("\"energy-aware inference\"", "base64"));

        assertThat(asBase64.status()).as(asBase64.body()).isEqualTo(200);
        String encoded = asBase64.json().get("data").get(0).get("embedding").asText();
        float[] decoded = OpenAiResponses.fromBase64(encoded);
        assertThat(decoded).containsExactly(floats(asFloats.json().get("data").get(0).get("embedding")));
    }

    @Test
    void chat_onAnEmbeddingModel_is404SayingWhatItServes() {
        Http.Reply reply = http.post("/v1/chat/completions",
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(reply.status()).isEqualTo(404);
        JsonNode error = reply.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText())
                .contains("cannot serve /v1/chat/completions", "it serves /v1/embeddings");
        assertThat(http.post("/v1/completions", "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\"}").status())
                .isEqualTo(404);
    }

    @Test
    void busyEngine_queuesUpToTheLimit_thenRefusesWith429() throws Exception {
        Capacity.Permit held = node.capacity().acquire(MODEL);
        CompletableFuture<Http.Reply> queued;
        try {
            queued = CompletableFuture.supplyAsync(() -> http.post("/v1/embeddings", body("\"waits its turn\"", null)),
                    Thread::startVirtualThread);
            CapacityTest.await(() -> node.telemetry().queueDepth() == 1);
            assertThat(node.telemetry().inFlight()).isEqualTo(1);

            Http.Reply refused = http.post("/v1/embeddings", body("\"one too many\"", null));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("retry-after")).isEqualTo("1");
            assertThat(refused.header("x-lattice-node")).isEqualTo("emb-node");
            JsonNode error = refused.json().get("error");
            assertThat(error.get("code").asText()).isEqualTo("node_saturated");
            assertThat(error.get("message").asText()).contains("emb-node is saturated", "1 requests are waiting");
            assertThat(queued).isNotDone();
        } finally {
            held.close();
        }
        assertThat(queued.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(node.telemetry().queueDepth()).isZero();
        assertThat(node.telemetry().inFlight()).isZero();
    }

    @Test
    void telemetryAndHealth_listTheModelWithItsCapabilities() {
        assertThat(node.telemetry().models()).singleElement()
                .satisfies(m -> {
                    assertThat(m.id()).isEqualTo(MODEL);
                    assertThat(m.format()).isEqualTo("onnx");
                });
        JsonNode model = http.get("/lattice/v1/health").json().get("models").get(0);
        assertThat(model.get("id").asText()).isEqualTo(MODEL);
        assertThat(model.get("format").asText()).isEqualTo("onnx");
        assertThat(model.get("capabilities")).containsExactly(
                com.fasterxml.jackson.databind.node.TextNode.valueOf("EMBEDDINGS"));
        assertThat(List.of(node.telemetry().powerEstimated())).containsExactly(true);
    }
}
