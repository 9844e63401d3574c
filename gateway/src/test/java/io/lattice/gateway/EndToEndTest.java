package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole path on loopback: client → gateway → two real node agents running llama.cpp (tiny
 * random GGUF) and ONNX Runtime (MiniLM) → back. Nothing is faked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

    private static final Set<String> NODES = Set.of("farm-1", "park-1");

    private final HttpClient sse = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Mesh mesh;
    private Http http;

    @BeforeAll
    void startMesh() {
        mesh = Mesh.start(GatewayConfig.defaults(), "farm", "park");
        http = mesh.http();
    }

    @AfterAll
    void stopMesh() {
        sse.close();
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void chat_nonStreamed_isAnsweredByANodeThatSaysWhereItRan() {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("content-type", "application/json")
                .header("x-request-id", "e2e-chat-1")
                .POST(HttpRequest.BodyPublishers.ofString(chat(false, 8))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertRanOnAMeshNode(response);
        assertThat(response.headers().firstValue("x-request-id")).hasValue("e2e-chat-1");
        JsonNode body = Http.json(response);
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo(Mesh.CHAT_MODEL);
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").isTextual()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isBetween(1, 8);
    }

    @Test
    void chat_streamed_relaysEveryChunkInOrderAndEndsWithDone() {
        Streamed streamed = stream("/v1/chat/completions", chat(true, 12));
        Streamed again = stream("/v1/chat/completions", chat(true, 12));
        HttpResponse<String> whole = http.post("/v1/chat/completions", chat(false, 12));

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        assertThat(streamed.node()).isIn(NODES);
        List<String> data = streamed.data();
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(EndToEndTest::parse).toList();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo(chunks.getFirst().get("id").asText());
        });
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isIn("stop", "length");
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c ->
                assertThat(c.get("choices").get(0).get("finish_reason").isNull()).isTrue());
        // greedy decoding of one model: the same text whichever node ran it, streamed or not
        assertThat(streamed.text()).isEqualTo(again.text());
        assertThat(streamed.text()).isEqualTo(
                Http.json(whole).get("choices").get(0).get("message").get("content").asText());
    }

    @Test
    void completions_nonStreamedAndStreamed() {
        String body = "{\"model\":\"" + Mesh.CHAT_MODEL + "\",\"prompt\":\"The sun\",\"max_tokens\":6,"
                + "\"temperature\":0}";
        HttpResponse<String> whole = http.post("/v1/completions", body);
        Streamed streamed = stream("/v1/completions", body.replace("}", ",\"stream\":true}"));

        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertRanOnAMeshNode(whole);
        JsonNode json = Http.json(whole);
        assertThat(json.get("object").asText()).isEqualTo("text_completion");
        assertThat(streamed.data().getLast()).isEqualTo("[DONE]");
        assertThat(streamed.text()).isEqualTo(json.get("choices").get(0).get("text").asText());
    }

    @Test
    void embeddings_returnOneUnitVectorPerInput() {
        HttpResponse<String> response = http.post("/v1/embeddings", "{\"model\":\"" + Mesh.EMBEDDING_MODEL
                + "\",\"input\":[\"a cat sits on the mat\",\"quarterly earnings rose\"]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertRanOnAMeshNode(response);
        JsonNode data = Http.json(response).get("data");
        assertThat(data).hasSize(2);
        for (JsonNode item : data) {
            JsonNode vector = item.get("embedding");
            assertThat(vector).hasSize(384);
            double norm = 0;
            for (JsonNode v : vector) {
                norm += v.asDouble() * v.asDouble();
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void models_listsWhatTheLiveNodesServe() {
        JsonNode list = Http.json(http.get("/v1/models"));

        assertThat(list.get("data")).extracting(m -> m.get("id").asText())
                .containsExactly(Mesh.EMBEDDING_MODEL, Mesh.CHAT_MODEL);
    }

    @Test
    void load_spreadsOverBothNodes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = http.post("/v1/embeddings",
                    "{\"model\":\"" + Mesh.EMBEDDING_MODEL + "\",\"input\":\"request " + i + "\"}");
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(response.headers().firstValue("x-lattice-node").orElseThrow());
        }

        assertThat(seen).isEqualTo(NODES);
    }

    @Test
    void concurrentStreams_allCompleteAndLeaveNoPermitsBehind() throws Exception {
        List<Future<Streamed>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> stream("/v1/chat/completions", chat(true, 6))));
            }
        }
        Set<String> nodes = new HashSet<>();
        for (Future<Streamed> f : futures) {
            Streamed s = f.get();
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.data().getLast()).isEqualTo("[DONE]");
            nodes.add(s.node());
        }

        assertThat(nodes).isEqualTo(NODES);
        for (String node : NODES) {
            assertThat(mesh.registryEntry(node).get("gateway_in_flight").asInt()).isZero();
        }
    }

    @Test
    void clientThatLeavesMidStream_releasesItsPermit() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat(true, 400))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String node = response.headers().firstValue("x-lattice-node").orElseThrow();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("data: ");
        }
        client.shutdownNow();

        mesh.awaitRegistry("the permit of " + node + " released",
                data -> mesh.registryEntry(node).get("gateway_in_flight").asInt() == 0);
    }

    @Test
    void nodeError_isPassedThroughUnchangedWithNodeHeaders() {
        // the gateway cannot know the model's context size; the node refuses a prompt that overflows it
        String longPrompt = "word ".repeat(4000);
        HttpResponse<String> response = http.post("/v1/completions", "{\"model\":\"" + Mesh.CHAT_MODEL
                + "\",\"prompt\":\"" + longPrompt + "\",\"max_tokens\":4}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertRanOnAMeshNode(response);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private void assertRanOnAMeshNode(HttpResponse<?> response) {
        String node = response.headers().firstValue("x-lattice-node").orElseThrow();
        assertThat(node).isIn(NODES);
        assertThat(response.headers().firstValue("x-lattice-site")).hasValue(node.substring(0, node.indexOf('-')));
    }

    /** A streamed answer as the client saw it: status, headers and the {@code data:} payloads in order. */
    record Streamed(int status, String contentType, String node, List<String> data) {
        /** The generated text: the chunks' content (chat) or text (completions) concatenated. */
        String text() {
            StringBuilder text = new StringBuilder();
            for (String d : data) {
                if (d.equals("[DONE]")) {
                    continue;
                }
                JsonNode choices = parse(d).get("choices");
                if (choices.isEmpty()) {
                    continue;
                }
                JsonNode choice = choices.get(0);
                JsonNode piece = choice.has("delta") ? choice.get("delta").get("content") : choice.get("text");
                if (piece != null && piece.isTextual()) {
                    text.append(piece.asText());
                }
            }
            return text.toString();
        }
    }

    private Streamed stream(String path, String body) {
        HttpResponse<java.util.stream.Stream<String>> response;
        try {
            response = sse.send(HttpRequest.newBuilder(uri(path))
                    .timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        return new Streamed(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                response.headers().firstValue("x-lattice-node").orElse(null), data);
    }

    private java.net.URI uri(String path) {
        return mesh.gateway().baseUrl().resolve(path);
    }

    private static String chat(boolean stream, int maxTokens) {
        return "{\"model\":\"" + Mesh.CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Say hello to the greenhouse.\"}],\"max_tokens\":" + maxTokens + ",\"temperature\":0,"
                + "\"stream\":" + stream + "}";
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }
}
