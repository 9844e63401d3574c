package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.TinyModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat and completions, streamed and not, over real HTTP with the real llama.cpp engine running a
 * tiny random-weight GGUF (its text is noise; the order, counts and plumbing are what is checked).
 */
class NodeChatTest {

    private static final String MODEL = TinyModels.MODEL_ID;
    /** Tokens of context; the tiny model writes about 3000 tokens a second here, so 4000 take over a second. */
    static final int LONG_CONTEXT = 4096;

    @TempDir
    static Path dir;

    private static InferenceEngine llama;
    private static NodeAgent node;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path gguf = dir.resolve("tiny.gguf");
        TinyModels.writeRandomLlama(gguf, 42L);
        // opened by the test and handed to the node, as the demo shares one loaded model between nodes; a
        // context far beyond the trained 512 lets one answer run for a second or more (see the disconnect test)
        llama = Engines.open(new ModelSpec.Gguf(MODEL, gguf, LONG_CONTEXT, 2));
        node = NodeAgent.start(NodeConfig.builder("chat-node", "chat-site").queueLimit(0).build(), List.of(llama));
        http = new Http(node.baseUrl());
    }

    @AfterAll
    static void stop() {
        http.close();
        node.close();
        llama.close();
    }

    private static String chatBody(int maxTokens, boolean stream, boolean usage) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Where does the heat go?\"}],\"max_tokens\":" + maxTokens
                + ",\"temperature\":0,\"seed\":7,\"stream\":" + stream
                + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    private static String completionBody(int maxTokens, boolean stream, boolean usage) {
        return "{\"model\":\"" + MODEL + "\",\"prompt\":\"The lattice of small sites\",\"max_tokens\":" + maxTokens
                + ",\"temperature\":0,\"seed\":7,\"stream\":" + stream
                + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    @Test
    void chat_notStreamed_isAChatCompletionWithHonestUsage() {
        Http.Reply reply = http.post("/v1/chat/completions", chatBody(8, false, false));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("content-type")).startsWith("application/json");
        assertThat(reply.header("x-lattice-node")).isEqualTo("chat-node");
        assertThat(reply.header("x-lattice-site")).isEqualTo("chat-site");
        JsonNode json = reply.json();
        assertThat(json.get("id").asText()).startsWith("chatcmpl-");
        assertThat(json.get("object").asText()).isEqualTo("chat.completion");
        assertThat(json.get("model").asText()).isEqualTo(MODEL);
        JsonNode choice = json.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotEmpty();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        JsonNode usage = json.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isGreaterThan(5);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(8);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void chat_streamed_sendsRoleThenPiecesThenFinishThenUsageThenDone() {
        Http.Reply reply = http.post("/v1/chat/completions", chatBody(8, true, true));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("content-type")).startsWith("text/event-stream");
        assertThat(reply.header("x-lattice-node")).isEqualTo("chat-node");
        List<String> events = Sse.data(reply.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Sse::json).toList();
        assertThat(chunks.size()).isGreaterThanOrEqualTo(4);

        String id = chunks.getFirst().get("id").asText();
        assertThat(id).startsWith("chatcmpl-");
        for (JsonNode c : chunks) {
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("model").asText()).isEqualTo(MODEL);
        }
        JsonNode first = chunks.getFirst().get("choices").get(0);
        assertThat(first.get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(first.get("finish_reason").isNull()).isTrue();

        List<JsonNode> pieces = chunks.subList(1, chunks.size() - 2);
        StringBuilder text = new StringBuilder();
        for (JsonNode p : pieces) {
            JsonNode choice = p.get("choices").get(0);
            assertThat(choice.get("delta").has("role")).isFalse();
            assertThat(choice.get("finish_reason").isNull()).isTrue();
            assertThat(p.get("usage").isNull()).isTrue();
            text.append(choice.get("delta").get("content").asText());
        }
        JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertThat(finish.get("finish_reason").asText()).isEqualTo("length");
        assertThat(finish.get("delta").has("content")).isFalse();

        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(8);

        // greedy sampling: the streamed pieces make up exactly the non-streamed answer
        String whole = http.post("/v1/chat/completions", chatBody(8, false, false)).json()
                .get("choices").get(0).get("message").get("content").asText();
        assertThat(text.toString()).isEqualTo(whole);
    }

    @Test
    void chat_streamedWithoutUsage_hasNoUsageChunk() {
        List<String> events = Sse.data(http.post("/v1/chat/completions", chatBody(4, true, false)).body());

        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Sse::json).toList();
        assertThat(chunks).allSatisfy(c -> assertThat(c.has("usage")).isFalse());
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void completion_notStreamed_isATextCompletion() {
        Http.Reply reply = http.post("/v1/completions", completionBody(6, false, false));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("id").asText()).startsWith("cmpl-");
        assertThat(json.get("object").asText()).isEqualTo("text_completion");
        assertThat(json.get("choices").get(0).get("text").asText()).isNotEmpty();
        assertThat(json.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(6);
    }

    @Test
    void completion_streamed_sendsPiecesThenFinishThenUsageThenDone() {
        Http.Reply reply = http.post("/v1/completions", completionBody(6, true, true));

        List<String> events = Sse.data(reply.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Sse::json).toList();
        String id = chunks.getFirst().get("id").asText();
        assertThat(id).startsWith("cmpl-");
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(0, chunks.size() - 2)) {
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.get("object").asText()).isEqualTo("text_completion");
            assertThat(c.get("choices").get(0).get("finish_reason").isNull()).isTrue();
            text.append(c.get("choices").get(0).get("text").asText());
        }
        assertThat(chunks.get(chunks.size() - 2).get("choices").get(0).get("finish_reason").asText())
                .isEqualTo("length");
        assertThat(chunks.getLast().get("choices")).isEmpty();
        assertThat(chunks.getLast().get("usage").get("completion_tokens").asInt()).isEqualTo(6);

        String whole = http.post("/v1/completions", completionBody(6, false, false)).json()
                .get("choices").get(0).get("text").asText();
        assertThat(text.toString()).isEqualTo(whole);
    }

    @Test
    void embeddings_onAChatModel_is404SayingWhatItServes() {
        Http.Reply reply = http.post("/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"x\"}");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").get("code").asText()).isEqualTo("model_not_found");
        assertThat(reply.json().get("error").get("message").asText())
                .contains("cannot serve /v1/embeddings", "/v1/chat/completions");
    }

    @Test
    void telemetry_afterGenerating_reportsMeasuredTokensPerSecond() {
        http.post("/v1/chat/completions", chatBody(8, false, false));
        assertThat(node.telemetry().tokensPerSecond()).isGreaterThan(0);
        assertThat(node.telemetry().inFlight()).isZero();
        assertThat(node.telemetry().powerEstimated()).isTrue();
    }

    @Test
    void clientDisconnectMidStream_stopsGenerationAndFreesTheSlot() throws Exception {
        long goneBefore = node.http().clientsGone();
        // an answer far longer than the time it takes the client to hang up: generation must be cut short
        String body = chatBody(LONG_CONTEXT - 100, true, false);
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            String line;
            int contentEvents = 0;
            while ((line = in.readLine()) != null && contentEvents < 2) {
                if (line.contains("\"content\":") && !line.contains("\"role\"")) {
                    contentEvents++;
                }
            }
            assertThat(contentEvents).as("content events before hanging up").isEqualTo(2);
        }
        // the next write fails, the listener throws, generation stops and the slot is given back
        CapacityTest.await(() -> node.http().clientsGone() == goneBefore + 1);
        CapacityTest.await(() -> node.telemetry().inFlight() == 0);
        // queue limit 0: this would be refused with 429 if the slot were still held
        Http.Reply next = http.post("/v1/chat/completions", chatBody(4, false, false));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
    }

    @Test
    void engineFailureMidStream_endsWithAnErrorEventAndNoDone() {
        try (NodeAgent faulty = NodeAgent.start(NodeConfig.builder("faulty-node", "chat-site").build(),
                List.of(new FaultInjectingEngine(llama, "faulty", 3)));
             Http client = new Http(faulty.baseUrl())) {
            Http.Reply reply = client.post("/v1/chat/completions", chatBody(50, true, true).replace(MODEL, "faulty"));

            assertThat(reply.status()).isEqualTo(200);
            List<String> events = Sse.data(reply.body());
            assertThat(events).doesNotContain("[DONE]");
            List<JsonNode> chunks = events.stream().map(Sse::json).toList();
            // role, the three pieces, then the error
            assertThat(chunks).hasSize(5);
            assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText())
                    .isEqualTo("assistant");
            JsonNode error = chunks.getLast().get("error");
            assertThat(error.get("type").asText()).isEqualTo("server_error");
            assertThat(error.get("code").asText()).isEqualTo("engine_error");
            assertThat(error.get("message").asText()).contains(reply.header("x-request-id"))
                    .doesNotContain("injected");
            assertThat(faulty.telemetry().inFlight()).isZero();
        }
    }

    @Test
    void engineFailureBeforeTheFirstToken_isAPlainErrorStatus() {
        try (NodeAgent faulty = NodeAgent.start(NodeConfig.builder("faulty-node", "chat-site").build(),
                List.of(new FaultInjectingEngine(llama, "faulty", 0)));
             Http client = new Http(faulty.baseUrl())) {
            Http.Reply streamed = client.post("/v1/chat/completions", chatBody(5, true, false).replace(MODEL, "faulty"));
            assertThat(streamed.status()).isEqualTo(500);
            assertThat(streamed.header("content-type")).startsWith("application/json");
            assertThat(streamed.json().get("error").get("code").asText()).isEqualTo("engine_error");

            Http.Reply plain = client.post("/v1/completions", completionBody(5, false, false).replace(MODEL, "faulty"));
            assertThat(plain.status()).isEqualTo(500);
            assertThat(plain.json().get("error").get("message").asText()).doesNotContain("injected");
        }
    }
}
