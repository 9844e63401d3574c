package io.lattice.engine.remote;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lattice.api.ApiError;
import io.lattice.api.ApiException;
import io.lattice.api.ChatMessage;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.Generation;
import io.lattice.api.Json;
import io.lattice.api.OpenAiResponses;
import io.lattice.api.Sampling;
import io.lattice.core.ModelCapability;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.TokenListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a model that another OpenAI-compatible server runs (llama-server, vLLM, Ollama, another
 * Lattice node), over the JDK {@link HttpClient}.
 *
 * <p>Generation always streams upstream ({@code stream: true} with
 * {@code stream_options.include_usage: true}), whether or not the caller streams, so that text reaches
 * the listener as it is made and a listener that throws can stop the upstream work by closing the
 * connection. Token counts are the upstream server's {@code usage}. A server that sends no usage gets
 * prompt tokens 0 (unknown) and completion tokens counted as the number of non-empty text chunks,
 * which is exact for servers that send one token per chunk (llama-server, vLLM, Ollama) and an
 * undercount otherwise; the first time this happens it is logged at INFO, since energy accounting
 * then lacks prompt tokens. Embeddings are not streamed; float and base64 vectors are both read.
 *
 * <p>Errors. Upstream 4xx answers are the request's fault and come back as {@link ApiException}
 * with the same status, type, param and code, the message prefixed with {@code "upstream model
 * server: "} (the base URL stays out of client-facing messages). Three 4xx codes are this node's
 * fault, not the client's, and become {@link EngineException} instead: 401 and 403 (the configured key
 * was refused) and 404 (wrong base URL or remote model name). 5xx answers, refused connections,
 * timeouts and broken streams become {@link EngineException} naming the base URL. The API key is
 * never part of any message: it is sent only in the {@code Authorization} header, and any upstream
 * text that echoes it is redacted.
 *
 * <p>Timeouts: connecting {@value #CONNECT_TIMEOUT_SECONDS} s; the whole exchange, from sending to
 * the last byte of a stream, the configured request timeout. A watchdog closes the response body at
 * the deadline, which ends a stalled read.
 *
 * <p>Thread-safety: safe for concurrent use; each call is its own HTTP exchange.
 */
final class RemoteEngine implements InferenceEngine {

    static final int CONNECT_TIMEOUT_SECONDS = 5;
    /** Most bytes of an error body read for its message. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final String UPSTREAM = "upstream model server: ";
    private static final System.Logger LOG = System.getLogger(RemoteEngine.class.getName());

    private final ModelSpec.Remote spec;
    private final ServedModel model;
    /** The base URL without user info or query, for messages. */
    private final String shownUrl;
    private final URI chatUri;
    private final URI completionsUri;
    private final URI embeddingsUri;
    private final boolean plainHttp;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean warnedNoUsage = new AtomicBoolean();

    RemoteEngine(ModelSpec.Remote spec, Duration requestTimeout) {
        this.spec = spec;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("remote model " + spec.id() + ": request timeout must be positive but"
                    + " was " + requestTimeout);
        }
        URI base = spec.baseUrl();
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("remote model " + spec.id() + ": baseUrl must be an absolute http or"
                    + " https URL such as http://127.0.0.1:8081/v1 but was " + shown(base));
        }
        this.shownUrl = shown(base);
        String root = base.toString().replaceAll("/+$", "");
        this.chatUri = URI.create(root + "/chat/completions");
        this.completionsUri = URI.create(root + "/completions");
        this.embeddingsUri = URI.create(root + "/embeddings");
        this.plainHttp = scheme.equals("http");
        this.requestTimeout = requestTimeout;
        Set<ModelCapability> capabilities = EnumSet.noneOf(ModelCapability.class);
        if (spec.chat()) {
            capabilities.add(ModelCapability.CHAT);
            capabilities.add(ModelCapability.COMPLETIONS);
        }
        if (spec.embeddings()) {
            capabilities.add(ModelCapability.EMBEDDINGS);
        }
        this.model = new ServedModel(spec.id(), capabilities, "remote");
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.watchdog = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("remote-" + spec.id() + "-watchdog").factory());
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    @Override
    public ServedModel model() {
        return model;
    }

    /**
     * Streams a chat answer from the upstream server.
     *
     * @throws ApiException    400 when this model is configured for embeddings only; the upstream
     *                         server's own 4xx (see the class notes)
     * @throws EngineException when the upstream server cannot be reached, fails, or times out
     */
    @Override
    public Generation chat(ChatRequest request, TokenListener tokens) {
        requireCapability(spec.chat(), "/v1/chat/completions");
        ObjectNode body = Json.object();
        body.put("model", spec.remoteModel());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        return generate(chatUri, body, request.sampling(), new StreamedGeneration(true, tokens));
    }

    /** Streams a completion from the upstream server; otherwise as {@link #chat}. */
    @Override
    public Generation complete(CompletionRequest request, TokenListener tokens) {
        requireCapability(spec.chat(), "/v1/completions");
        ObjectNode body = Json.object();
        body.put("model", spec.remoteModel());
        body.put("prompt", request.prompt());
        return generate(completionsUri, body, request.sampling(), new StreamedGeneration(false, tokens));
    }

    /**
     * Embeds the inputs on the upstream server in one request.
     *
     * @return vectors in input order; {@code promptTokens} is the upstream server's count, or 0 when it
     *         sends none
     * @throws ApiException    400 when this model is configured for chat only; the upstream server's own 4xx
     * @throws EngineException when the upstream server cannot be reached, fails, times out, or answers
     *                         with the wrong number of vectors
     */
    @Override
    public Embeddings embed(EmbeddingRequest request) {
        requireCapability(spec.embeddings(), "/v1/embeddings");
        if (request.inputs().isEmpty()) {
            return new Embeddings(List.of(), 0);
        }
        ObjectNode body = Json.object();
        body.put("model", spec.remoteModel());
        ArrayNode input = body.putArray("input");
        request.inputs().forEach(input::add);
        // float is what every OpenAI-compatible server supports; base64 answers are read all the same
        body.put("encoding_format", "float");
        JsonNode answer = exchange(embeddingsUri, body, false, response -> parseJson(response.body().readAllBytes()));
        return readEmbeddings(answer, request.inputs().size());
    }

    /** Stops the watchdog and the HTTP client, aborting exchanges still running. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            watchdog.shutdownNow();
            http.shutdownNow();
        }
    }

    private Generation generate(URI uri, ObjectNode body, Sampling sampling, StreamedGeneration generation) {
        putSampling(body, sampling);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        Generation result = exchange(uri, body, true, response -> {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                // the server ignored stream: true and answered in one piece
                generation.acceptWhole(parseJson(response.body().readAllBytes()));
                return generation.result();
            }
            readStream(response.body(), generation);
            return generation.result();
        });
        if (!generation.hasUsage() && warnedNoUsage.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "model {0}: {1} sends no token usage; completion tokens are counted as"
                    + " text chunks and prompt tokens are reported as 0", spec.id(), shownUrl);
        }
        return result;
    }

    private void readStream(InputStream body, StreamedGeneration generation) throws IOException {
        // closing the reader (also when the listener throws) closes the body, which aborts the exchange
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            SseReader events = new SseReader(reader);
            SseReader.Event event;
            while ((event = events.next()) != null) {
                if (event.kind() == SseReader.Kind.DATA && event.data().strip().equals("[DONE]")) {
                    return;
                }
                JsonNode chunk = parseJson(event.data().getBytes(StandardCharsets.UTF_8));
                JsonNode error = chunk.get("error");
                if (event.kind() == SseReader.Kind.ERROR || (error != null && !error.isNull())) {
                    throw streamError(chunk);
                }
                generation.accept(chunk);
            }
        }
        if (!generation.finished()) {
            throw new EngineException("model " + spec.id() + ": the stream from " + shownUrl
                    + " ended before the answer was finished (no finish_reason and no [DONE])");
        }
    }

    /** An upstream exchange: the body as read by {@code reader}, or the upstream error mapped. */
    private <T> T exchange(URI uri, ObjectNode body, boolean stream, BodyReader<T> reader) {
        if (closed.get()) {
            throw new EngineException("model " + spec.id() + " is closed");
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        if (plainHttp) {
            // HTTP/2 over cleartext needs an upgrade that llama-server and many proxies mishandle
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        if (spec.apiKey() != null && !spec.apiKey().isEmpty()) {
            builder.header("Authorization", "Bearer " + spec.apiKey());
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "model " + spec.id() + ": POST " + shown(uri));
        HttpResponse<InputStream> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new EngineException("model " + spec.id() + ": cannot connect to " + shownUrl + " within "
                    + CONNECT_TIMEOUT_SECONDS + " s", e);
        } catch (HttpTimeoutException e) {
            throw new EngineException("model " + spec.id() + ": " + shownUrl + " did not answer within "
                    + requestTimeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw new EngineException("model " + spec.id() + ": cannot connect to " + shownUrl
                    + " (connection refused or host unreachable)", e);
        } catch (IOException e) {
            throw new EngineException("model " + spec.id() + ": request to " + shownUrl + " failed: " + redact(
                    String.valueOf(e.getMessage())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("model " + spec.id() + ": interrupted while calling " + shownUrl, e);
        } catch (IllegalStateException e) {
            // the client was shut down by close() between the check above and the send
            throw new EngineException("model " + spec.id() + " is closed", e);
        }
        InputStream in = response.body();
        AtomicBoolean timedOut = new AtomicBoolean();
        long remaining = Math.max(0, deadline - System.nanoTime());
        ScheduledFuture<?> alarm;
        try {
            alarm = watchdog.schedule(() -> {
                timedOut.set(true);
                closeQuietly(in);
            }, remaining, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closeQuietly(in);
            throw new EngineException("model " + spec.id() + " is closed", e);
        }
        try (in) {
            if (response.statusCode() / 100 != 2) {
                throw upstreamError(response.statusCode(), in.readNBytes(MAX_ERROR_BODY),
                        response.headers().firstValue("Retry-After").orElse(null));
            }
            return reader.read(response);
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new EngineException("model " + spec.id() + ": " + shownUrl + " did not finish within "
                        + requestTimeout.toMillis() + " ms", e);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new EngineException("model " + spec.id() + ": interrupted while reading from " + shownUrl, e);
            }
            throw new EngineException("model " + spec.id() + ": the answer from " + shownUrl + " broke off: "
                    + redact(String.valueOf(e.getMessage())), e);
        } finally {
            alarm.cancel(false);
        }
    }

    private Embeddings readEmbeddings(JsonNode answer, int expected) {
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray() || data.size() != expected) {
            throw new EngineException("model " + spec.id() + ": " + shownUrl + " answered " + expected
                    + " embedding inputs with " + (data == null || !data.isArray() ? "no data array" : data.size()
                    + " vectors"));
        }
        List<float[]> vectors = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            vectors.add(null);
        }
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").asInt(i);
            if (index < 0 || index >= expected || vectors.get(index) != null) {
                throw new EngineException("model " + spec.id() + ": " + shownUrl + " answered with a bad or repeated"
                        + " embedding index " + index + " for " + expected + " inputs");
            }
            vectors.set(index, vector(item.get("embedding"), index));
        }
        JsonNode promptTokens = answer.path("usage").get("prompt_tokens");
        int tokens = promptTokens != null && promptTokens.canConvertToInt() ? Math.max(0, promptTokens.intValue()) : 0;
        return new Embeddings(vectors, tokens);
    }

    private float[] vector(JsonNode embedding, int index) {
        if (embedding != null && embedding.isTextual()) {
            try {
                return OpenAiResponses.fromBase64(embedding.textValue());
            } catch (IllegalArgumentException e) {
                throw new EngineException("model " + spec.id() + ": " + shownUrl + " sent embedding " + index
                        + " as a string that is not base64", e);
            }
        }
        if (embedding == null || !embedding.isArray()) {
            throw new EngineException("model " + spec.id() + ": " + shownUrl + " sent embedding " + index
                    + " as neither an array of numbers nor base64");
        }
        float[] v = new float[embedding.size()];
        for (int d = 0; d < v.length; d++) {
            JsonNode x = embedding.get(d);
            if (!x.isNumber()) {
                throw new EngineException("model " + spec.id() + ": " + shownUrl + " sent a non-number in embedding "
                        + index);
            }
            v[d] = x.floatValue();
        }
        return v;
    }

    /** Maps a non-2xx answer; see the class notes. */
    private RuntimeException upstreamError(int status, byte[] body, String retryAfter) {
        UpstreamError e = UpstreamError.parse(body);
        String message = redact(e.message());
        if (status == 401 || status == 403) {
            return new EngineException("model " + spec.id() + ": " + shownUrl + " refused the configured API key"
                    + " (HTTP " + status + "): " + message);
        }
        if (status == 404) {
            return new EngineException("model " + spec.id() + ": " + shownUrl + " answered HTTP 404 for remote model '"
                    + spec.remoteModel() + "'; check the base URL and the remote model name: " + message);
        }
        if (status >= 400 && status < 500) {
            return new ApiException(new ApiError(status, UPSTREAM + message,
                    e.type() == null ? ApiError.INVALID_REQUEST : e.type(), e.param(), e.code(),
                    retryAfterSeconds(retryAfter)));
        }
        return new EngineException("model " + spec.id() + ": " + shownUrl + " answered HTTP " + status + ": " + message);
    }

    /** An error reported inside a stream (after the 200): 4xx codes are the request's fault. */
    private RuntimeException streamError(JsonNode chunk) {
        UpstreamError e = UpstreamError.from(chunk);
        int status = UpstreamError.statusIn(chunk);
        if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 404) {
            return new ApiException(new ApiError(status, UPSTREAM + redact(e.message()),
                    e.type() == null ? ApiError.INVALID_REQUEST : e.type(), e.param(), e.code(), 0));
        }
        return new EngineException("model " + spec.id() + ": " + shownUrl + " reported an error in its stream: "
                + redact(e.message()));
    }

    private JsonNode parseJson(byte[] bytes) {
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new EngineException("model " + spec.id() + ": " + shownUrl + " sent something other than a JSON"
                        + " object: " + snippet(bytes));
            }
            return node;
        } catch (JacksonException e) {
            throw new EngineException("model " + spec.id() + ": " + shownUrl + " sent JSON that does not parse: "
                    + snippet(bytes), e);
        } catch (IOException e) {
            throw new EngineException("model " + spec.id() + ": cannot read the answer of " + shownUrl, e);
        }
    }

    private void requireCapability(boolean present, String endpoint) {
        if (!present) {
            throw ApiError.invalidField("model", "The model '" + spec.id() + "' cannot serve " + endpoint + "; it is"
                    + " configured for " + (spec.chat() ? "chat and completions" : "embeddings") + " only.")
                    .toException();
        }
    }

    private static void putSampling(ObjectNode body, Sampling s) {
        if (s.maxTokens() != null) {
            body.put("max_tokens", s.maxTokens());
        }
        if (s.temperature() != null) {
            body.put("temperature", s.temperature());
        }
        if (s.topP() != null) {
            body.put("top_p", s.topP());
        }
        if (s.seed() != null) {
            body.put("seed", s.seed());
        }
        if (!s.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            s.stop().forEach(stop::add);
        }
    }

    private String redact(String text) {
        String key = spec.apiKey();
        return key == null || key.isEmpty() ? text : text.replace(key, "***");
    }

    private String snippet(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8).strip();
        return redact(bytes.length > 200 ? s + "…" : s);
    }

    private static int retryAfterSeconds(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(header.strip()));
        } catch (NumberFormatException e) {
            return 0; // an HTTP date; rare from inference servers, and the client may retry at will
        }
    }

    /** The URL without user info, query or fragment: safe to put in logs and messages. */
    static String shown(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a response body failed", e);
        }
    }

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(HttpResponse<InputStream> response) throws IOException;
    }
}
