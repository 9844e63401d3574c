package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.gguf.TinyModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over two real nodes: node A serves the real engines; node B's models are
 * {@link ModelSpec.Remote} pointing at A's {@code /v1}, so a request to B is answered by A.
 */
class NodeRemoteTest {

    private static final String MINILM = ModelSpec.BundledMiniLm.DEFAULT_ID;

    private static final String LLAMA = TinyModels.MODEL_ID;

    @TempDir
    static Path dir;

    private static InferenceEngine llama;
    private static NodeAgent nodeA;
    private static NodeAgent nodeB;
    private static Http httpA;
    private static Http httpB;

    @BeforeAll
    static void start() throws IOException {
        Path gguf = dir.resolve("tiny.gguf");
        TinyModels.writeRandomLlama(gguf, 42L);
        llama = Engines.open(new ModelSpec.Gguf(LLAMA, gguf, NodeChatTest.LONG_CONTEXT, 2));
        nodeA = NodeAgent.start(NodeConfig.builder("node-a", "site-a").addModel(new ModelSpec.BundledMiniLm(MINILM))
                .build(), List.of(llama));
        URI aApi = URI.create(nodeA.baseUrl() + "/v1");
        nodeB = NodeAgent.start(NodeConfig.builder("node-b", "site-b")
                .addModel(new ModelSpec.Remote("far-minilm", aApi, MINILM, null, false, true))
                .addModel(new ModelSpec.Remote("far-llama", aApi, LLAMA, null, true, false))
                .addModel(new ModelSpec.Remote("misnamed", aApi, "no-such-model", null, false, true))
                // the model's figures are asserted below, whatever meter this machine has
                .power(NodeConfig.Power.DEFAULT.withSource(NodeConfig.PowerSource.MODEL))
                .build());
        httpA = new Http(nodeA.baseUrl());
        httpB = new Http(nodeB.baseUrl());
    }

    @AfterAll
    static void stop() {
        httpA.close();
        httpB.close();
        nodeB.close();
        nodeA.close();
        llama.close();
    }

    private static String chat(String model, int maxTokens, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Who heats the"
                + " greenhouse?\"}],\"max_tokens\":" + maxTokens + ",\"temperature\":0,\"seed\":3,\"stream\":" + stream
                + ",\"stream_options\":" + (stream ? "{\"include_usage\":true}" : "null") + "}";
    }

    @Test
    void chat_throughARemoteModel_isNodeAsAnswer_streamedAndNot() {
        JsonNode direct = httpA.post("/v1/chat/completions", chat(LLAMA, 10, false)).json();
        String directText = direct.get("choices").get(0).get("message").get("content").asText();

        Http.Reply relayed = httpB.post("/v1/chat/completions", chat("far-llama", 10, false));
        assertThat(relayed.status()).as(relayed.body()).isEqualTo(200);
        assertThat(relayed.header("x-lattice-node")).isEqualTo("node-b");
        assertThat(relayed.json().get("model").asText()).isEqualTo("far-llama");
        assertThat(relayed.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo(directText);
        assertThat(relayed.json().get("usage")).isEqualTo(direct.get("usage"));

        Http.Reply streamed = httpB.post("/v1/chat/completions", chat("far-llama", 10, true));
        List<String> events = Sse.data(streamed.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Sse::json).toList();
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(1, chunks.size() - 2)) {
            text.append(c.get("choices").get(0).get("delta").get("content").asText());
        }
        assertThat(text.toString()).isEqualTo(directText);
        assertThat(chunks.getLast().get("usage").get("completion_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void clientLeavingNodeB_stopsGenerationOnNodeA() throws Exception {
        long goneAtA = nodeA.http().clientsGone();
        long goneAtB = nodeB.http().clientsGone();
        String body = chat("far-llama", NodeChatTest.LONG_CONTEXT - 100, true);
        try (Socket socket = new Socket("127.0.0.1", nodeB.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !(line.contains("\"content\":") && !line.contains("\"role\""))) {
                // read up to the first piece of text
            }
            assertThat(line).isNotNull();
        }
        CapacityTest.await(() -> nodeB.http().clientsGone() == goneAtB + 1);
        // B's remote engine hangs up on A, so A stops generating too
        CapacityTest.await(() -> nodeA.http().clientsGone() == goneAtA + 1);
        CapacityTest.await(() -> nodeA.telemetry().inFlight() == 0 && nodeB.telemetry().inFlight() == 0);
    }

    @Test
    void embeddings_throughARemoteModel_areNodeAsAnswer() {
        String input = "[\"heat from the servers warms the greenhouse\",\"solar noon\"]";
        Http.Reply direct = httpA.post("/v1/embeddings", "{\"model\":\"" + MINILM + "\",\"input\":" + input + "}");
        Http.Reply relayed = httpB.post("/v1/embeddings", "{\"model\":\"far-minilm\",\"input\":" + input + "}");

        assertThat(relayed.status()).as(relayed.body()).isEqualTo(200);
        assertThat(relayed.header("x-lattice-node")).isEqualTo("node-b");
        assertThat(relayed.json().get("model").asText()).isEqualTo("far-minilm");
        assertThat(relayed.json().get("data")).isEqualTo(direct.json().get("data"));
        assertThat(relayed.json().get("usage")).isEqualTo(direct.json().get("usage"));
    }

    @Test
    void remoteModel_isListedAsRemote_andDoesNotCountAsLocalPower() {
        assertThat(httpB.post("/v1/embeddings", "{\"model\":\"far-minilm\",\"input\":\"x\"}").status()).isEqualTo(200);
        assertThat(nodeB.telemetry().models()).extracting(m -> m.format()).containsOnly("remote");
        // the work ran on node A; node B stays at its idle floor
        assertThat(nodeB.telemetry().powerWatts()).isEqualTo(NodeConfig.Power.DEFAULT.idleWatts());
        // nor is its energy learned on node B: node A learns it
        assertThat(nodeB.telemetry().modelEnergy()).isEmpty();
        assertThat(nodeA.telemetry().energyOf(MINILM)).isPresent();
        JsonNode ids = httpB.get("/v1/models").json().get("data");
        assertThat(ids).extracting(m -> m.get("id").asText()).containsExactly("far-minilm", "far-llama", "misnamed");
    }

    @Test
    void upstreamThatDoesNotKnowTheModel_is502WithASafeMessage() {
        Http.Reply reply = httpB.post("/v1/embeddings", "{\"model\":\"misnamed\",\"input\":\"x\"}");

        assertThat(reply.status()).isEqualTo(502);
        JsonNode error = reply.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("upstream_error");
        assertThat(error.get("type").asText()).isEqualTo("server_error");
        assertThat(error.get("message").asText()).contains("'misnamed'", reply.header("x-request-id"))
                .doesNotContain(nodeA.baseUrl().toString());
    }

    @Test
    void upstreamDown_is502() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (NodeAgent nodeC = NodeAgent.start(NodeConfig.builder("node-c", "site-c")
                .addModel(new ModelSpec.Remote("gone", URI.create("http://127.0.0.1:" + deadPort + "/v1"), "gone",
                        null, false, true)).build(), List.of());
             Http httpC = new Http(nodeC.baseUrl())) {
            Http.Reply reply = httpC.post("/v1/embeddings", "{\"model\":\"gone\",\"input\":\"x\"}");
            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.json().get("error").get("code").asText()).isEqualTo("upstream_error");
            // the slot was given back: the node is idle again
            assertThat(nodeC.telemetry().inFlight()).isZero();
        }
    }
}
