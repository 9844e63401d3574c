package io.lattice.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.ApiException;
import io.lattice.api.ChatMessage;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.FinishReason;
import io.lattice.api.Generation;
import io.lattice.api.Json;
import io.lattice.api.Sampling;
import io.lattice.core.ModelCapability;
import io.lattice.engine.EngineException;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.TokenListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The remote engine against a real loopback HTTP server. Streams are replayed from transcripts in
 * llama-server's wire format (see the README next to them in the test resources).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RemoteEngineTest {

    private static final String KEY = "sk-test-4f9a1c7e2b";
    private static final String CHAT_ANSWER = "Solar heat warms the greenhouse at 21 °C — café-grade tomatoes 🍅.";

    private final LoopbackServer upstream = new LoopbackServer();
    private InferenceEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        upstream.close();
    }

    private InferenceEngine open(String apiKey) {
        engine = Engines.open(new ModelSpec.Remote("qwen-small", upstream.baseUrl(), "qwen2.5-0.5b-instruct", apiKey,
                true, false));
        return engine;
    }

    private static ChatRequest chat(String text) {
        return new ChatRequest("qwen-small", List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", text)), new Sampling(64, 0.2, 0.9, 42L, List.of("\n\n")), true, true);
    }

    private static LoopbackServer.Handler replay(String transcript) {
        return (exchange, body) -> {
            try (InputStream in = RemoteEngineTest.class.getResourceAsStream(transcript);
                 OutputStream out = LoopbackServer.startStream(exchange)) {
                assertThat(in).as(transcript).isNotNull();
                out.write(in.readAllBytes());
            }
        };
    }

    private static LoopbackServer.Handler error(int status, String json) {
        return (exchange, body) -> LoopbackServer.sendJson(exchange, status, json);
    }

    @Test
    void chat_assemblesDeltasFinishReasonAndUsageFromTheStream() {
        upstream.route("/v1/chat/completions", replay("llama-server-chat-stream.sse"));
        List<String> pieces = new CopyOnWriteArrayList<>();

        Generation g = open(KEY).chat(chat("How does the farm use server heat?"), pieces::add);

        assertThat(g.text()).isEqualTo(CHAT_ANSWER);
        assertThat(String.join("", pieces)).isEqualTo(g.text());
        assertThat(pieces).hasSize(16).startsWith("Solar", " heat");
        assertThat(g.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(g.promptTokens()).isEqualTo(27);
        assertThat(g.completionTokens()).isEqualTo(16);
    }

    @Test
    void chat_sendsTheRemoteModelSamplingAStreamRequestAndTheBearerKey() throws IOException {
        upstream.route("/v1/chat/completions", replay("llama-server-chat-stream.sse"));

        open(KEY).chat(chat("hi"), TokenListener.NONE);

        LoopbackServer.Received r = upstream.received().getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(r.accept()).isEqualTo("text/event-stream");
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("model").asText()).isEqualTo("qwen2.5-0.5b-instruct");
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(body.at("/messages/1/content").asText()).isEqualTo("hi");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.get("seed").asLong()).isEqualTo(42);
        assertThat(body.at("/stop/0").asText()).isEqualTo("\n\n");
    }

    @Test
    void chat_withoutAKeySendsNoAuthorizationAndLeavesUnsetSamplingOut() throws IOException {
        upstream.route("/v1/chat/completions", replay("llama-server-chat-stream.sse"));

        open(null).chat(new ChatRequest("qwen-small", List.of(new ChatMessage("user", "hi")), Sampling.defaults(),
                false, false), TokenListener.NONE);

        LoopbackServer.Received r = upstream.received().getFirst();
        assertThat(r.authorization()).isNull();
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("stop")).isFalse();
    }

    @Test
    void complete_readsTextChunksAndALengthFinish() throws IOException {
        upstream.route("/v1/completions", replay("llama-server-completion-stream.sse"));
        StringBuilder streamed = new StringBuilder();

        Generation g = open(KEY).complete(new CompletionRequest("qwen-small", "The container on the farm",
                new Sampling(8, null, null, null, List.of()), false, false), streamed::append);

        assertThat(g.text()).isEqualTo("\nHeat from the racks warms the greenhouse");
        assertThat(streamed.toString()).isEqualTo(g.text());
        assertThat(g.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(g.promptTokens()).isEqualTo(6);
        assertThat(g.completionTokens()).isEqualTo(8);
        JsonNode body = Json.mapper().readTree(upstream.received().getFirst().body());
        assertThat(body.get("prompt").asText()).isEqualTo("The container on the farm");
        assertThat(body.get("model").asText()).isEqualTo("qwen2.5-0.5b-instruct");
    }

    @Test
    void chat_withoutUpstreamUsageCountsTextChunksAndReportsNoPromptTokens() {
        upstream.route("/v1/chat/completions", replay("no-usage-chat-stream.sse"));

        Generation g = open(KEY).chat(chat("hi"), TokenListener.NONE);

        assertThat(g.text()).isEqualTo("Hello! How can I help?");
        assertThat(g.completionTokens()).isEqualTo(7);
        assertThat(g.promptTokens()).isZero();
    }

    @Test
    void chat_acceptsAServerThatIgnoresStreamAndAnswersInOnePiece() {
        upstream.route("/v1/chat/completions", error(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Whole answer."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"""));
        List<String> pieces = new CopyOnWriteArrayList<>();

        Generation g = open(KEY).chat(chat("hi"), pieces::add);

        assertThat(pieces).containsExactly("Whole answer.");
        assertThat(g).isEqualTo(new Generation("Whole answer.", FinishReason.STOP, 5, 3));
    }

    @Test
    void chat_upstream400BecomesApiException400MarkedAsUpstream() {
        // llama-server's answer to a prompt longer than its context
        upstream.route("/v1/chat/completions", error(400, """
                {"error":{"code":400,"message":"the request exceeds the available context size, try increasing it",
                 "type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}"""));

        assertThatThrownBy(() -> open(KEY).chat(chat("long"), TokenListener.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().type()).isEqualTo("exceed_context_size_error");
                    assertThat(e.getMessage()).isEqualTo("upstream model server: the request exceeds the available"
                            + " context size, try increasing it");
                    assertThat(e.getMessage()).doesNotContain("127.0.0.1");
                });
    }

    @Test
    void chat_upstreamOpenAiErrorKeepsParamCodeAndRetryAfter() {
        upstream.route("/v1/chat/completions", (exchange, body) -> {
            exchange.getResponseHeaders().set("Retry-After", "7");
            LoopbackServer.sendJson(exchange, 429, """
                    {"error":{"message":"Rate limit reached","type":"requests","param":"model","code":"rate_limit_exceeded"}}""");
        });

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), TokenListener.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(429);
                    assertThat(e.error().param()).isEqualTo("model");
                    assertThat(e.error().code()).isEqualTo("rate_limit_exceeded");
                    assertThat(e.error().retryAfterSeconds()).isEqualTo(7);
                });
    }

    @Test
    void chat_upstream401IsThisNodesFaultAndNeverShowsTheKey() {
        upstream.route("/v1/chat/completions", error(401, """
                {"error":{"message":"Incorrect API key provided: %s","type":"invalid_request_error"}}""".formatted(KEY)));

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(upstream.baseUrl().toString())
                .hasMessageContaining("refused the configured API key")
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void chat_upstream404NamesTheRemoteModelToCheck() {
        upstream.route("/v1/chat/completions", error(404, "{\"error\":\"model 'qwen2.5-0.5b-instruct' not found\"}"));

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("'qwen2.5-0.5b-instruct'")
                .hasMessageContaining("not found");
    }

    @Test
    void chat_upstream5xxBecomesEngineExceptionNamingTheUrl() {
        upstream.route("/v1/chat/completions", error(503, "{\"error\":{\"code\":503,\"message\":\"Loading model\","
                + "\"type\":\"unavailable_error\"}}"));

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(upstream.baseUrl().toString())
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("Loading model");
    }

    @Test
    void chat_closedPortBecomesEngineExceptionNamingTheUrlButNotTheKey() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/v1");
        engine = Engines.open(new ModelSpec.Remote("gone", closed, "m", KEY, true, true));

        assertThatThrownBy(() -> engine.chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("http://127.0.0.1:" + port + "/v1")
                .hasMessageContaining("cannot connect")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> engine.embed(new EmbeddingRequest("gone", List.of("x"),
                EmbeddingRequest.EncodingFormat.FLOAT)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("http://127.0.0.1:" + port + "/v1");
    }

    @Test
    void chat_listenerThatThrowsIsRethrownAndClosesTheUpstreamConnection() throws InterruptedException {
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        AtomicInteger chunksWritten = new AtomicInteger();
        upstream.route("/v1/chat/completions", (exchange, body) -> {
            OutputStream out = LoopbackServer.startStream(exchange);
            try {
                // an endless generation: only the client closing the connection stops it
                while (true) {
                    out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"},"
                            + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    chunksWritten.incrementAndGet();
                    Thread.sleep(5); // paces the fake generation like a model does; nothing waits on it
                }
            } catch (IOException e) {
                upstreamSawClose.countDown();
            }
        });
        IllegalStateException clientGone = new IllegalStateException("client went away");
        AtomicInteger seen = new AtomicInteger();

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), text -> {
            if (seen.incrementAndGet() == 3) {
                throw clientGone;
            }
        })).isSameAs(clientGone);

        assertThat(upstreamSawClose.await(10, TimeUnit.SECONDS)).as("upstream write failed after the close").isTrue();
        assertThat(seen.get()).isEqualTo(3);
    }

    @Test
    void chat_streamThatBreaksOffBeforeFinishingIsAnEngineFailure() {
        upstream.route("/v1/chat/completions", (exchange, body) -> {
            try (OutputStream out = LoopbackServer.startStream(exchange)) {
                out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"},\"finish_reason\":null}]}"
                        + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(upstream.baseUrl().toString())
                .hasMessageContaining("ended before the answer was finished");
    }

    @Test
    void chat_errorEventInsideTheStreamIsReported() {
        upstream.route("/v1/chat/completions", (exchange, body) -> {
            try (OutputStream out = LoopbackServer.startStream(exchange)) {
                out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n"
                        + "error: {\"code\":500,\"message\":\"out of memory in KV cache\",\"type\":\"server_error\"}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        });

        assertThatThrownBy(() -> open(KEY).chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("reported an error in its stream")
                .hasMessageContaining("out of memory in KV cache");
    }

    @Test
    void chat_requestTimeoutEndsAStalledStream() {
        CountDownLatch release = new CountDownLatch(1);
        upstream.route("/v1/chat/completions", (exchange, body) -> {
            OutputStream out = LoopbackServer.startStream(exchange);
            out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(20, TimeUnit.SECONDS); // stalls mid-stream
        });
        engine = RemoteEngines.open(new ModelSpec.Remote("slow", upstream.baseUrl(), "m", null, true, false),
                Duration.ofMillis(400));
        long started = System.nanoTime();

        try {
            assertThatThrownBy(() -> engine.chat(chat("hi"), TokenListener.NONE))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining(upstream.baseUrl().toString())
                    .hasMessageContaining("did not finish within 400 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
        }
    }

    @Test
    void capabilitiesComeFromTheSpecAndOthersAreRefusedWith400() {
        InferenceEngine chatOnly = open(KEY);
        assertThat(chatOnly.model().capabilities()).containsExactlyInAnyOrder(ModelCapability.CHAT,
                ModelCapability.COMPLETIONS);
        assertThat(chatOnly.model().format()).isEqualTo("remote");
        assertThatThrownBy(() -> chatOnly.embed(new EmbeddingRequest("qwen-small", List.of("x"),
                EmbeddingRequest.EncodingFormat.FLOAT)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("'qwen-small'", "/v1/embeddings");
                });

        try (InferenceEngine embeddingsOnly = RemoteEngines.open(new ModelSpec.Remote("emb", upstream.baseUrl(), "e",
                null, false, true))) {
            assertThat(embeddingsOnly.model().capabilities()).containsExactly(ModelCapability.EMBEDDINGS);
            assertThatThrownBy(() -> embeddingsOnly.chat(chat("hi"), TokenListener.NONE))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().status()).isEqualTo(400));
            assertThatThrownBy(() -> embeddingsOnly.complete(new CompletionRequest("emb", "x", Sampling.defaults(),
                    false, false), TokenListener.NONE))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().status()).isEqualTo(400));
        }
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void close_isIdempotentAndLaterCallsFailClearly() {
        InferenceEngine e = open(KEY);
        e.close();
        e.close();

        assertThatThrownBy(() -> e.chat(chat("hi"), TokenListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("qwen-small")
                .hasMessageContaining("closed");
    }

    @Test
    void open_refusesABaseUrlThatIsNotHttpAndHidesItsUserInfo() {
        assertThatThrownBy(() -> RemoteEngines.open(new ModelSpec.Remote("x", URI.create("ftp://user:pw@host/v1"),
                "m", null, true, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl")
                .hasMessageContaining("ftp://host/v1")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> RemoteEngines.open(new ModelSpec.Remote("x", upstream.baseUrl(), "m", null, true,
                false), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request timeout")
                .hasMessageContaining("PT0S");
    }
}
