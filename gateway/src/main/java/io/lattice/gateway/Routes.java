package io.lattice.gateway;

import io.lattice.http.OpenAiErrors;
import io.lattice.http.RequestIds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lattice.api.ApiError;
import io.lattice.api.ChatMessage;
import io.lattice.api.ChatRequest;
import io.lattice.api.LatticeHeaders;
import io.lattice.api.Sampling;
import io.lattice.api.CompletionRequest;
import io.lattice.api.EmbeddingRequest;
import io.lattice.api.Json;
import io.lattice.api.NodeProtocol;
import io.lattice.api.OpenAiRequests;
import io.lattice.api.OpenAiResponses;
import io.lattice.core.ModelCapability;
import io.lattice.core.ModelEnergy;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import io.lattice.core.WorkRequest;
import io.lattice.core.energy.EnergyPolicies;
import io.lattice.core.energy.EnergyPolicy;
import io.lattice.core.energy.Jurisdiction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.SortedSet;

/**
 * The gateway's HTTP surface: the OpenAI client API under {@code /v1} and the node protocol under
 * {@code /lattice/v1}. Each handler runs on its own virtual thread; every failure goes through the
 * {@link OpenAiErrors}, and unknown paths and wrong methods get OpenAI error JSON too.
 *
 * <p>Client requests are parsed once and validated in full before placement, so a bad request
 * never costs a node anything; the original bytes are what the node receives.
 */
final class Routes {

    static final String MODELS = "/v1/models";
    static final String CHAT = "/v1/chat/completions";
    static final String COMPLETIONS = "/v1/completions";
    static final String EMBEDDINGS = "/v1/embeddings";

    /** Every path served, with its method, for telling a wrong method (405) from a wrong path (404). */
    private static final Map<String, Method> PATHS = Map.of(
            MODELS, Method.GET,
            CHAT, Method.POST,
            COMPLETIONS, Method.POST,
            EMBEDDINGS, Method.POST,
            NodeProtocol.HEARTBEAT, Method.POST,
            NodeProtocol.NODES, Method.GET,
            NodeProtocol.HEALTH, Method.GET,
            LedgerApi.PATH, Method.GET);

    private static final System.Logger LOG = System.getLogger(Routes.class.getName());

    /** The owner shown in {@code /v1/models}. */
    static final String OWNED_BY = "lattice";

    /**
     * The tenant every request is billed to until tenants and keys exist (issue 5, which resolves it from
     * the request's key in {@link #tenant}).
     */
    static final String DEFAULT_TENANT = "default";

    private final NodeRegistry registry;
    private final Relay relay;
    private final OpenAiErrors errors;
    private final long maxBodyBytes;
    private final long createdEpochSeconds;
    /** One instance per policy name: the policies are stateless and thread-safe. */
    private final Map<String, EnergyPolicy> policies;
    private final String defaultPolicy;
    private final LedgerApi ledger;

    /** Characters per token for estimating prompt length before a tokenizer has seen it. */
    static final int CHARS_PER_TOKEN = 4;

    Routes(NodeRegistry registry, Relay relay, OpenAiErrors errors, long maxBodyBytes, Instant started,
           String defaultPolicy, LedgerApi ledger) {
        this.registry = registry;
        this.ledger = ledger;
        this.defaultPolicy = defaultPolicy;
        Map<String, EnergyPolicy> byName = new HashMap<>();
        for (String name : EnergyPolicies.NAMES) {
            byName.put(name, EnergyPolicies.named(name));
        }
        this.policies = Map.copyOf(byName);
        this.relay = relay;
        this.errors = errors;
        this.maxBodyBytes = maxBodyBytes;
        this.createdEpochSeconds = started.getEpochSecond();
    }

    /** A handler that is given the request id and may throw; {@link #guard} renders what it throws. */
    @FunctionalInterface
    private interface Endpoint {
        void handle(ServerRequest req, ServerResponse res, String requestId);
    }

    void register(HttpRouting.Builder routing) {
        routing.get(MODELS, guard(this::models))
                .get(MODELS + "/{+model}", guard(this::model))
                .post(CHAT, guard(this::chat))
                .post(COMPLETIONS, guard(this::completions))
                .post(EMBEDDINGS, guard(this::embeddings))
                .post(NodeProtocol.HEARTBEAT, guard(this::heartbeat))
                .get(NodeProtocol.NODES, guard(this::nodes))
                .get(NodeProtocol.HEALTH, guard(this::health))
                .get(LedgerApi.PATH, guard(this::ledger))
                .any(guard(this::fallback))
                .error(Throwable.class, errors::handle);
    }

    private io.helidon.webserver.http.Handler guard(Endpoint endpoint) {
        return (req, res) -> {
            String requestId = RequestIds.of(req);
            res.header(RequestIds.HEADER, requestId);
            try {
                endpoint.handle(req, res, requestId);
            } catch (CloseConnectionException e) {
                throw e; // the connection is gone; Helidon closes it
            } catch (UncheckedIOException e) {
                if (!res.isSent()) {
                    errors.send(res, e, requestId);
                }
                // else: the client went away while its answer was being written; nothing to tell anyone
                LOG.log(Level.DEBUG, () -> "request " + requestId + ": connection failed: " + e.getMessage());
            } catch (RuntimeException e) {
                errors.send(res, e, requestId);
            }
        };
    }

    /** The request's record for the ledger, started as it arrives (before its body is read). */
    private RequestOutcome received(ServerRequest req, String endpoint, String requestId) {
        return new RequestOutcome(tenant(req), registry.now(), System.nanoTime(), endpoint, requestId);
    }

    /** Who is billed for {@code req}: {@link #DEFAULT_TENANT} until keys exist (issue 5 reads it from the key). */
    private static String tenant(ServerRequest req) {
        return DEFAULT_TENANT;
    }

    private void chat(ServerRequest req, ServerResponse res, String requestId) {
        RequestOutcome outcome = received(req, CHAT, requestId);
        byte[] body = body(req);
        ObjectNode json = OpenAiRequests.parseObject(body);
        ChatRequest chat = OpenAiRequests.chat(json);
        long chars = 0;
        for (ChatMessage m : chat.messages()) {
            chars += m.content() == null ? 0 : m.content().length();
        }
        WorkRequest work = new WorkRequest(chat.model(), ModelCapability.CHAT, chat.stream(), tokens(chars),
                outputTokens(chat.sampling()), WorkRequest.LatencyObjective.NONE, Set.of());
        outcome.model(chat.model());
        relay.relay(ask(req, work), outcome, withUsage(body, json, chat.stream(), chat.includeUsage()), requestId,
                chat.includeUsage(), res, errors);
    }

    private void completions(ServerRequest req, ServerResponse res, String requestId) {
        RequestOutcome outcome = received(req, COMPLETIONS, requestId);
        byte[] body = body(req);
        ObjectNode json = OpenAiRequests.parseObject(body);
        CompletionRequest completion = OpenAiRequests.completion(json);
        WorkRequest work = new WorkRequest(completion.model(), ModelCapability.COMPLETIONS, completion.stream(),
                tokens(completion.prompt().length()), outputTokens(completion.sampling()),
                WorkRequest.LatencyObjective.NONE, Set.of());
        outcome.model(completion.model());
        relay.relay(ask(req, work), outcome, withUsage(body, json, completion.stream(), completion.includeUsage()),
                requestId, completion.includeUsage(), res, errors);
    }

    private void embeddings(ServerRequest req, ServerResponse res, String requestId) {
        RequestOutcome outcome = received(req, EMBEDDINGS, requestId);
        byte[] body = body(req);
        EmbeddingRequest embedding = OpenAiRequests.embedding(OpenAiRequests.parseObject(body));
        long chars = 0;
        for (String input : embedding.inputs()) {
            chars += input.length();
        }
        WorkRequest work = new WorkRequest(embedding.model(), ModelCapability.EMBEDDINGS, false, tokens(chars), 0,
                WorkRequest.LatencyObjective.NONE, Set.of());
        outcome.model(embedding.model());
        relay.relay(ask(req, work), outcome, body, requestId, false, res, errors);
    }

    /**
     * The body the node gets: the client's bytes, except for a stream whose client did not ask for usage.
     * The node is then asked for it ({@code stream_options.include_usage: true}) so that the ledger
     * knows the tokens, and the relay withholds that usage event from the client.
     */
    private static byte[] withUsage(byte[] body, ObjectNode json, boolean stream, boolean includeUsage) {
        if (!stream || includeUsage) {
            return body;
        }
        if (json.get("stream_options") instanceof ObjectNode options) {
            options.put("include_usage", true);
        } else {
            json.putObject("stream_options").put("include_usage", true);
        }
        return Json.bytes(json);
    }

    /**
     * Prompt tokens estimated from characters: about four characters a token for English text with
     * the common BPE tokenizers (OpenAI's rule of thumb); the node's {@code usage} gives the true count.
     */
    static int tokens(long chars) {
        return (int) Math.min(Integer.MAX_VALUE, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }

    /** Output tokens expected: {@code max_tokens} when given, else a typical answer. */
    private static int outputTokens(Sampling sampling) {
        return sampling.maxTokens() != null ? sampling.maxTokens() : WorkRequest.TYPICAL_OUTPUT_TOKENS;
    }

    /** The request's placement wishes from its {@code x-lattice-*} headers; 400 naming the header when one is wrong. */
    private Placer.Ask ask(ServerRequest req, WorkRequest work) {
        EnergyPolicy policy = policies.get(defaultPolicy);
        Optional<String> name = header(req, LatticeHeaders.POLICY);
        if (name.isPresent()) {
            policy = policies.get(name.get().toLowerCase(Locale.ROOT));
            if (policy == null) {
                throw GatewayErrors.badHeader(LatticeHeaders.POLICY, name.get(), "must be one of "
                        + String.join(", ", EnergyPolicies.NAMES)).toException();
            }
        }
        Optional<String> ttft = header(req, LatticeHeaders.TTFT_MS);
        if (ttft.isPresent()) {
            double ms;
            try {
                ms = Double.parseDouble(ttft.get());
            } catch (NumberFormatException e) {
                ms = Double.NaN;
            }
            if (!(ms > 0) || !Double.isFinite(ms)) {
                throw GatewayErrors.badHeader(LatticeHeaders.TTFT_MS, ttft.get(),
                        "must be a positive number of milliseconds, for example 500").toException();
            }
            work = work.withObjective(WorkRequest.LatencyObjective.ttft(ms));
        }
        Optional<String> jurisdictions = header(req, LatticeHeaders.JURISDICTION);
        if (jurisdictions.isPresent()) {
            Set<String> codes = new LinkedHashSet<>();
            for (String code : jurisdictions.get().split(",", -1)) {
                try {
                    codes.add(Jurisdiction.parse(code).code());
                } catch (IllegalArgumentException e) {
                    throw GatewayErrors.badHeader(LatticeHeaders.JURISDICTION, jurisdictions.get(),
                            "must be comma-separated ISO 3166 codes such as FR,DE or FR-BRE").toException();
                }
            }
            work = work.withAllowedJurisdictions(codes);
        }
        boolean explain = false;
        Optional<String> explainValue = header(req, LatticeHeaders.EXPLAIN);
        if (explainValue.isPresent()) {
            String v = explainValue.get().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw GatewayErrors.badHeader(LatticeHeaders.EXPLAIN, explainValue.get(), "must be true or false")
                        .toException();
            }
            explain = v.equals("true");
        }
        return new Placer.Ask(work, policy, explain);
    }

    private static Optional<String> header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name)).map(String::strip);
    }

    private void models(ServerRequest req, ServerResponse res, String requestId) {
        SortedSet<String> ids = registry.liveModels(registry.now());
        sendJson(res, OpenAiResponses.models(ids, createdEpochSeconds, OWNED_BY));
    }

    private void model(ServerRequest req, ServerResponse res, String requestId) {
        String id = req.path().pathParameters().get("model");
        if (!registry.liveModels(registry.now()).contains(id)) {
            throw ApiError.modelNotFound(id).toException();
        }
        ObjectNode model = Json.object();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", createdEpochSeconds);
        model.put("owned_by", OWNED_BY);
        sendJson(res, model);
    }

    private void heartbeat(ServerRequest req, ServerResponse res, String requestId) {
        registry.heartbeat(Heartbeats.parse(body(req)));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void nodes(ServerRequest req, ServerResponse res, String requestId) {
        Instant now = registry.now();
        ObjectNode root = Json.object();
        root.put("object", "list");
        root.put("heartbeat_timeout_ms", registry.heartbeatTimeout().toMillis());
        ArrayNode data = root.putArray("data");
        for (NodeEntry e : registry.all()) {
            NodeTelemetry t = e.telemetry();
            ObjectNode n = data.addObject();
            n.put("node_id", t.nodeId());
            n.put("site_id", t.siteId());
            n.put("base_url", t.baseUrl());
            n.put("live", registry.isLive(e, now));
            n.put("last_heartbeat_age_ms", e.age(now).toMillis());
            ArrayNode models = n.putArray("models");
            for (ServedModel m : t.models()) {
                ObjectNode model = models.addObject();
                model.put("id", m.id());
                ArrayNode caps = model.putArray("capabilities");
                m.capabilities().stream().sorted().forEach(c -> caps.add(GatewayErrors.lower(c)));
                model.put("format", m.format());
            }
            n.put("queue_depth", t.queueDepth());
            n.put("in_flight", t.inFlight());
            n.put("gateway_in_flight", e.inFlight());
            n.put("placed_total", e.placedTotal());
            n.put("tokens_per_second", t.tokensPerSecond());
            n.put("power_watts", t.powerWatts());
            n.put("power_estimated", t.powerEstimated());
            n.put("sent_at", t.sentAt().toString());
            ArrayNode energy = n.putArray("model_energy");
            for (ModelEnergy m : t.modelEnergy()) {
                ObjectNode o = energy.addObject();
                o.put("model_id", m.modelId());
                o.put("joules_per_prompt_token", m.joulesPerPromptToken());
                o.put("joules_per_output_token", m.joulesPerOutputToken());
                o.put("prefill_tokens_per_second", m.prefillTokensPerSecond());
                o.put("decode_tokens_per_second", m.decodeTokensPerSecond());
                o.put("samples", m.samples());
                o.put("estimated", m.estimated());
            }
        }
        sendJson(res, root);
    }

    private void ledger(ServerRequest req, ServerResponse res, String requestId) {
        sendJson(res, ledger.answer(LedgerApi.parse(req.query())));
    }

    private void health(ServerRequest req, ServerResponse res, String requestId) {
        Instant now = registry.now();
        List<NodeEntry> all = registry.all();
        ObjectNode root = Json.object();
        root.put("status", "ok");
        root.put("nodes", all.size());
        root.put("live_nodes", registry.live(now).size());
        sendJson(res, root);
    }

    /** Reached when no route matched: 405 for a known path with another method, else 404. */
    private void fallback(ServerRequest req, ServerResponse res, String requestId) {
        String path = req.path().path();
        String method = req.prologue().method().text();
        Method allowed = PATHS.get(path);
        if (allowed == null && path.startsWith(MODELS + "/")) {
            allowed = Method.GET;
        }
        if (allowed == null) {
            throw ApiError.unknownPath(method, path).toException();
        }
        res.header(HeaderNames.ALLOW, allowed.text());
        throw ApiError.methodNotAllowed(method, path).toException();
    }

    /**
     * Reads the whole body, refusing more than the configured limit: by its declared length before
     * reading, or (chunked) as soon as the limit is passed.
     */
    private byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw ApiError.bodyTooLarge(maxBodyBytes).toException();
        }
        try (InputStream in = req.content().inputStream()) {
            if (declared.isPresent()) {
                return in.readNBytes((int) declared.getAsLong());
            }
            byte[] body = in.readNBytes((int) maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw ApiError.bodyTooLarge(maxBodyBytes).toException();
            }
            return body;
        } catch (IOException | UncheckedIOException e) {
            throw ApiError.malformedJson("the body could not be read to its end").toException();
        }
    }

    private static void sendJson(ServerResponse res, ObjectNode json) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(json));
    }
}
