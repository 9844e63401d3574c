package io.lattice.node;

import io.lattice.http.OpenAiErrors;
import io.lattice.http.RequestIds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lattice.api.ApiError;
import io.lattice.api.ChatRequest;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Embeddings;
import io.lattice.api.Generation;
import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import io.lattice.api.NodeProtocol;
import io.lattice.api.OpenAiRequests;
import io.lattice.api.OpenAiResponses;
import io.lattice.core.ModelCapability;
import io.lattice.core.ServedModel;
import io.lattice.engine.EngineException;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.TokenListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The node's HTTP API: the OpenAI endpoints over its engines plus {@code /lattice/v1/health}.
 *
 * <p>Every request gets {@code x-lattice-node}, {@code x-lattice-site} and {@code x-request-id}
 * (echoed when the caller sent a sane one). A request first passes validation and model lookup,
 * then waits for an engine slot, and only then, for a streamed answer, commits a 200: so every
 * refusal (400, 404, 413, 429) is a plain JSON error, and only failures during generation arrive as
 * a final {@code data: {"error":...}} event.
 *
 * <p>Thread-safe: handlers run on Helidon's virtual threads, one per request.
 */
final class NodeHttp {

    private static final System.Logger LOG = System.getLogger(NodeHttp.class.getName());
    private static final io.helidon.http.HeaderName REQUEST_ID = HeaderNames.create(LatticeHeaders.REQUEST_ID);
    static final String OWNED_BY = "lattice";

    private final String nodeId;
    private final String siteId;
    private final Map<String, InferenceEngine> engines;
    private final Capacity capacity;
    private final OutputRate outputRate;
    private final RequestMeter meter;
    private final OpenAiErrors errors;
    private final long maxBodyBytes;
    private final InstantSource clock;
    private final long createdEpochSecond;
    private final Supplier<ObjectNode> health;
    private final AtomicLong clientsGone = new AtomicLong();

    /**
     * @param engines by model id, in the order {@code /v1/models} lists them
     * @param meter   meters each engine call and learns energy per token
     * @param health  the body of {@code GET /lattice/v1/health}
     */
    NodeHttp(String nodeId, String siteId, Map<String, InferenceEngine> engines, Capacity capacity,
             OutputRate outputRate, RequestMeter meter, OpenAiErrors errors, long maxBodyBytes, InstantSource clock,
             Supplier<ObjectNode> health) {
        this.nodeId = nodeId;
        this.siteId = siteId;
        this.engines = engines;
        this.capacity = capacity;
        this.outputRate = outputRate;
        this.meter = meter;
        this.errors = errors;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.createdEpochSecond = clock.instant().getEpochSecond();
        this.health = health;
    }

    void routing(HttpRouting.Builder routing) {
        routing.addFilter(this::identify)
                .error(Throwable.class, errors::handle)
                .get("/v1/models", this::models)
                .get("/v1/models/{model}", this::model)
                .post("/v1/chat/completions", this::chat)
                .post("/v1/completions", this::completions)
                .post("/v1/embeddings", this::embeddings)
                .get(NodeProtocol.HEALTH, (req, res) -> sendJson(res, health.get()))
                // last: whatever no route above took
                .any(this::unrouted);
    }

    /** Streams that stopped because the client went away, since start. */
    long clientsGone() {
        return clientsGone.get();
    }

    private void identify(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String requestId = RequestIds.echoOrCreate(req.headers().first(REQUEST_ID).orElse(null));
        res.header(LatticeHeaders.NODE, nodeId);
        res.header(LatticeHeaders.SITE, siteId);
        res.header(LatticeHeaders.REQUEST_ID, requestId);
        chain.proceed();
    }

    private void models(ServerRequest req, ServerResponse res) {
        sendJson(res, OpenAiResponses.models(engines.keySet(), createdEpochSecond, OWNED_BY));
    }

    private void model(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("model");
        if (!engines.containsKey(id)) {
            throw unknownModel(id).toException();
        }
        ObjectNode list = OpenAiResponses.models(List.of(id), createdEpochSecond, OWNED_BY);
        sendJson(res, (ObjectNode) list.get("data").get(0));
    }

    private void chat(ServerRequest req, ServerResponse res) {
        String requestId = requestId(res);
        ChatRequest chat = OpenAiRequests.chat(Bodies.read(req, maxBodyBytes));
        InferenceEngine engine = engineFor(chat.model(), ModelCapability.CHAT, "/v1/chat/completions");
        String id = RequestIds.objectId("chatcmpl-");
        long created = clock.instant().getEpochSecond();
        if (!chat.stream()) {
            Generation g;
            try (Capacity.Permit permit = capacity.acquire(chat.model());
                 RequestMeter.Span span = meter.start(chat.model())) {
                g = generate(engine, requestId, () -> engine.chat(chat, span.listener(TokenListener.NONE)));
                span.finish(g.promptTokens(), g.completionTokens());
            }
            sendJson(res, OpenAiResponses.chatCompletion(id, created, chat.model(), g));
            return;
        }
        boolean usage = chat.includeUsage();
        try (Capacity.Permit permit = capacity.acquire(chat.model());
             RequestMeter.Span span = meter.start(chat.model())) {
            stream(res, requestId, engine, span,
                    OpenAiResponses.chatChunk(id, created, chat.model(), "assistant", "", null, usage),
                    text -> OpenAiResponses.chatChunk(id, created, chat.model(), null, text, null, usage),
                    g -> closing(OpenAiResponses.chatChunk(id, created, chat.model(), null, null, g.finishReason(),
                            usage), usage ? OpenAiResponses.usageChunk(id, "chat.completion.chunk", created,
                            chat.model(), g.promptTokens(), g.completionTokens()) : null),
                    listener -> engine.chat(chat, listener));
        }
    }

    private void completions(ServerRequest req, ServerResponse res) {
        String requestId = requestId(res);
        CompletionRequest completion = OpenAiRequests.completion(Bodies.read(req, maxBodyBytes));
        InferenceEngine engine = engineFor(completion.model(), ModelCapability.COMPLETIONS, "/v1/completions");
        String id = RequestIds.objectId("cmpl-");
        long created = clock.instant().getEpochSecond();
        String model = completion.model();
        if (!completion.stream()) {
            Generation g;
            try (Capacity.Permit permit = capacity.acquire(model); RequestMeter.Span span = meter.start(model)) {
                g = generate(engine, requestId, () -> engine.complete(completion, span.listener(TokenListener.NONE)));
                span.finish(g.promptTokens(), g.completionTokens());
            }
            sendJson(res, OpenAiResponses.completion(id, created, model, g));
            return;
        }
        boolean usage = completion.includeUsage();
        try (Capacity.Permit permit = capacity.acquire(model); RequestMeter.Span span = meter.start(model)) {
            stream(res, requestId, engine, span, null,
                    text -> OpenAiResponses.completionChunk(id, created, model, text, null, usage),
                    g -> closing(OpenAiResponses.completionChunk(id, created, model, "", g.finishReason(), usage),
                            usage ? OpenAiResponses.usageChunk(id, "text_completion", created, model,
                                    g.promptTokens(), g.completionTokens()) : null),
                    listener -> engine.complete(completion, listener));
        }
    }

    private void embeddings(ServerRequest req, ServerResponse res) {
        String requestId = requestId(res);
        EmbeddingRequest embedding = OpenAiRequests.embedding(Bodies.read(req, maxBodyBytes));
        InferenceEngine engine = engineFor(embedding.model(), ModelCapability.EMBEDDINGS, "/v1/embeddings");
        Embeddings vectors;
        try (Capacity.Permit permit = capacity.acquire(embedding.model());
             RequestMeter.Span span = meter.start(embedding.model())) {
            vectors = engine.embed(embedding);
            span.finish(vectors.promptTokens(), 0);
        } catch (EngineException e) {
            throw EngineErrors.engineFailed(engine.model(), e, requestId);
        }
        sendJson(res, OpenAiResponses.embeddings(embedding.model(), vectors, embedding.encodingFormat()));
    }

    private void unrouted(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        String method = req.prologue().method().text();
        Optional<String> allowed = allowedMethods(path);
        if (allowed.isPresent() && allowed.get().equals(method)) {
            // a method the path takes that still found no route: a model id with a slash in it
            throw unknownModel(path.substring("/v1/models/".length())).toException();
        }
        if (allowed.isPresent()) {
            res.header(HeaderNames.ALLOW, allowed.get());
            throw ApiError.methodNotAllowed(method, path).toException();
        }
        throw ApiError.unknownPath(method, path).toException();
    }

    /** The methods a known path takes, for 405 versus 404. */
    static Optional<String> allowedMethods(String path) {
        return switch (path) {
            case "/v1/models", NodeProtocol.HEALTH -> Optional.of("GET");
            case "/v1/chat/completions", "/v1/completions", "/v1/embeddings" -> Optional.of("POST");
            default -> path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()
                    ? Optional.of("GET") : Optional.empty();
        };
    }

    /**
     * Runs a generation, records its measured speed, and turns an engine failure into the API error
     * that says whose fault it was.
     */
    private Generation generate(InferenceEngine engine, String requestId, Supplier<Generation> call) {
        try {
            return timed(call);
        } catch (EngineException e) {
            throw EngineErrors.engineFailed(engine.model(), e, requestId);
        }
    }

    private Generation timed(Supplier<Generation> call) {
        Instant start = clock.instant();
        Generation g = call.get();
        outputRate.record(g.completionTokens(), Duration.between(start, clock.instant()));
        return g;
    }

    /**
     * Streams one generation. The 200 goes out with the first piece of text, so a failure before it
     * is still an ordinary error response; after it, a failure is reported as a final error event. A
     * client that went away is not a failure, only counted.
     *
     * @param span    meters the engine call; finished when it returns, before the closing events
     * @param opening the event before the first piece, or null
     * @param piece   the event for one piece of generated text
     * @param closing the events after the last piece (finish, then usage when asked)
     */
    private void stream(ServerResponse res, String requestId, InferenceEngine engine, RequestMeter.Span span,
                        ObjectNode opening,
                        Function<String, ObjectNode> piece, Function<Generation, List<ObjectNode>> closing,
                        Function<TokenListener, Generation> run) {
        SseStream sse = SseStream.lazy(res, opening);
        try {
            Generation g = timed(() -> run.apply(span.listener(text -> {
                if (!text.isEmpty()) {
                    sse.send(piece.apply(text));
                }
            })));
            span.finish(g.promptTokens(), g.completionTokens());
            for (ObjectNode event : closing.apply(g)) {
                sse.send(event);
            }
            sse.done();
        } catch (RuntimeException e) {
            if (sse.clientGone()) {
                clientsGone.incrementAndGet();
                LOG.log(Level.DEBUG, () -> "request " + requestId + ": client went away; generation stopped");
            } else if (!sse.started()) {
                // nothing sent yet: the error mapper answers with a proper status
                throw e instanceof EngineException engineFailure
                        ? EngineErrors.engineFailed(engine.model(), engineFailure, requestId) : e;
            } else if (e instanceof EngineException engineFailure) {
                sse.error(EngineErrors.engineFailed(engine.model(), engineFailure, requestId).error());
            } else {
                sse.error(errors.toApiError(e, requestId));
            }
        } finally {
            sse.close();
        }
    }

    private static List<ObjectNode> closing(ObjectNode finish, ObjectNode usage) {
        List<ObjectNode> events = new ArrayList<>(2);
        events.add(finish);
        if (usage != null) {
            events.add(usage);
        }
        return events;
    }

    private InferenceEngine engineFor(String model, ModelCapability capability, String endpoint) {
        InferenceEngine engine = engines.get(model);
        if (engine == null) {
            throw unknownModel(model).toException();
        }
        ServedModel served = engine.model();
        if (!served.can(capability)) {
            throw new ApiError(404, "The model '" + model + "' cannot serve " + endpoint + "; it serves "
                    + endpoints(served) + ".", ApiError.INVALID_REQUEST, "model", "model_not_found", 0).toException();
        }
        return engine;
    }

    private ApiError unknownModel(String model) {
        String shown = model.length() > 200 ? model.substring(0, 200) + "..." : model;
        return new ApiError(404, "The model '" + shown + "' is not served by node " + nodeId + ". It serves: "
                + String.join(", ", engines.keySet()) + " (GET /v1/models lists them).", ApiError.INVALID_REQUEST,
                "model", "model_not_found", 0);
    }

    private static String endpoints(ServedModel model) {
        return model.capabilities().stream().sorted()
                .map(c -> switch (c) {
                    case CHAT -> "/v1/chat/completions";
                    case COMPLETIONS -> "/v1/completions";
                    case EMBEDDINGS -> "/v1/embeddings";
                })
                .collect(Collectors.joining(", "));
    }

    private static String requestId(ServerResponse res) {
        return res.headers().first(REQUEST_ID).orElseGet(RequestIds::create);
    }

    private static void sendJson(ServerResponse res, ObjectNode body) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(body));
    }
}
