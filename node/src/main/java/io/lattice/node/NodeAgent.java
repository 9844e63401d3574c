package io.lattice.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import io.lattice.engine.Engines;
import io.lattice.engine.InferenceEngine;
import io.lattice.engine.ModelSpec;
import io.lattice.http.OpenAiErrors;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running node agent: serves its engines over the OpenAI API, queues requests in front of them,
 * measures itself and sends heartbeats to its gateways.
 *
 * <pre>{@code
 * try (NodeAgent node = NodeAgent.start(NodeConfig.load(Path.of("node.yaml")))) {
 *     System.out.println("serving at " + node.baseUrl());
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops heartbeats, then the server, then closes the engines the
 * agent opened itself (never those handed to it); it is idempotent.
 */
public final class NodeAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    /** How far back the slot-based utilisation looks; a few heartbeats, so watts follow load without flicker. */
    static final Duration UTILISATION_WINDOW = Duration.ofSeconds(5);

    private final NodeConfig config;
    private final InstantSource clock;
    private final Instant startedAt;
    private final List<InferenceEngine> opened;
    private final Map<String, InferenceEngine> engines;
    private final List<ServedModel> models;
    private final Capacity capacity;
    private final OutputRate outputRate;
    private final PowerEstimate power;
    private final NodeHttp http;
    private final WebServer server;
    private final URI baseUrl;
    private final Heartbeats heartbeats;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NodeAgent(NodeConfig config, List<InferenceEngine> given, List<InferenceEngine> opened,
                      InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.opened = List.copyOf(opened);

        Map<String, InferenceEngine> byId = new LinkedHashMap<>();
        List<InferenceEngine> all = new ArrayList<>(given);
        all.addAll(opened);
        for (InferenceEngine engine : all) {
            String id = engine.model().id();
            if (byId.putIfAbsent(id, engine) != null) {
                throw new IllegalArgumentException("node " + config.nodeId() + ": two engines serve model '" + id
                        + "'; model ids must be unique on a node");
            }
        }
        for (String id : config.slots().keySet()) {
            if (!byId.containsKey(id)) {
                throw new IllegalArgumentException("node " + config.nodeId() + ": slots are configured for model '"
                        + id + "' but no engine serves it; served: " + byId.keySet());
            }
        }
        this.engines = Map.copyOf(byId);
        this.models = byId.values().stream().map(InferenceEngine::model).toList();

        Map<String, Integer> slots = new LinkedHashMap<>();
        Set<String> local = new HashSet<>();
        int localSlots = 0;
        for (ServedModel m : models) {
            int n = config.slotsOf(m.id());
            slots.put(m.id(), n);
            // a remote engine's work burns power somewhere else
            if (!"remote".equals(m.format())) {
                local.add(m.id());
                localSlots += n;
            }
        }
        BusyWindow busy = new BusyWindow(clock, UTILISATION_WINDOW, localSlots);
        this.capacity = new Capacity(config.nodeId(), slots, local, config.queueLimit(), busy);
        this.outputRate = new OutputRate(clock, OutputRate.DEFAULT_WINDOW);
        this.power = new PowerEstimate(config.power(), busy, new CpuMeter(CpuMeter.PROC_STAT, clock));

        OpenAiErrors errors = new OpenAiErrors(config.maxBodyBytes(),
                Map.of(LatticeHeaders.NODE, config.nodeId(), LatticeHeaders.SITE, config.siteId()),
                EngineErrors::asApiError);
        this.http = new NodeHttp(config.nodeId(), config.siteId(), byId, capacity, outputRate, errors,
                config.maxBodyBytes(), clock, this::health);
        this.server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .directHandlers(errors.directHandlers())
                .routing(http::routing)
                .build()
                .start();
        if (!server.isRunning()) {
            // Helidon logs the bind failure and returns a stopped server instead of throwing
            server.stop();
            throw new IllegalStateException("node " + config.nodeId() + ": cannot serve on " + config.host() + ":"
                    + config.port() + "; the port is in use or the address is not this machine's");
        }
        this.baseUrl = config.advertisedBaseUrl() != null ? config.advertisedBaseUrl()
                : URI.create("http://" + advertisedHost(config.host()) + ":" + server.port());
        this.heartbeats = new Heartbeats(config.nodeId(), config.gateways(), config.heartbeatInterval(),
                this::telemetry);
        heartbeats.start();
        LOG.log(Level.INFO, "node " + config.nodeId() + " at site " + config.siteId() + " serves "
                + engines.keySet() + " at " + baseUrl + (config.gateways().isEmpty() ? "" : "; gateways "
                + config.gateways()));
    }

    /**
     * Opens the engines of {@code config.models()} and starts serving them.
     *
     * @throws io.lattice.engine.EngineException when a model cannot be loaded (engines opened so far are closed)
     * @throws IllegalArgumentException          when the config and the engines disagree
     * @throws IllegalStateException             when the server cannot bind its address and port
     */
    public static NodeAgent start(NodeConfig config) {
        return start(config, List.of());
    }

    /**
     * Starts serving {@code engines}, already open, plus those of {@code config.models()}. The agent
     * closes only the engines it opened, so one loaded model can be shared by several agents.
     */
    public static NodeAgent start(NodeConfig config, List<InferenceEngine> engines) {
        return start(config, engines, InstantSource.system());
    }

    /** As {@link #start(NodeConfig, List)} with the clock for uptime, rate and utilisation windows. */
    static NodeAgent start(NodeConfig config, List<InferenceEngine> engines, InstantSource clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(clock, "clock");
        List<InferenceEngine> opened = new ArrayList<>();
        try {
            for (ModelSpec spec : config.models()) {
                opened.add(Engines.open(spec));
            }
            return new NodeAgent(config, List.copyOf(engines), opened, clock);
        } catch (RuntimeException | Error e) {
            opened.forEach(NodeAgent::closeQuietly);
            throw e;
        }
    }

    /** The port the server bound (the real one when the config said 0). */
    public int port() {
        return server.port();
    }

    /** Where gateways reach this node, for example {@code http://127.0.0.1:9001}; the OpenAI API is under {@code /v1}. */
    public URI baseUrl() {
        return baseUrl;
    }

    public String nodeId() {
        return config.nodeId();
    }

    public String siteId() {
        return config.siteId();
    }

    /** A fresh reading: what the next heartbeat would send. */
    public NodeTelemetry telemetry() {
        return new NodeTelemetry(config.nodeId(), config.siteId(), baseUrl.toString(), models,
                capacity.queueDepth(), capacity.inFlight(), outputRate.tokensPerSecond(), power.watts(), true,
                clock.instant());
    }

    /** Stops heartbeats, then the server, then closes the engines this agent opened. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeats.close();
        try {
            server.stop();
        } finally {
            opened.forEach(NodeAgent::closeQuietly);
            LOG.log(Level.INFO, "node " + config.nodeId() + " stopped");
        }
    }

    /** Slots, queue and rate counters, for tests in this package. */
    Capacity capacity() {
        return capacity;
    }

    NodeHttp http() {
        return http;
    }

    private ObjectNode health() {
        ObjectNode root = Json.object();
        root.put("status", closed.get() ? "stopping" : "ok");
        root.put("node_id", config.nodeId());
        root.put("site_id", config.siteId());
        root.put("base_url", baseUrl.toString());
        ArrayNode list = root.putArray("models");
        for (ServedModel m : models) {
            // the same shape as in heartbeats, so one parser reads both
            list.add(Json.mapper().<ObjectNode>valueToTree(m));
        }
        Instant now = clock.instant();
        root.put("uptime_seconds", Duration.between(startedAt, now).toMillis() / 1000.0);
        root.put("started_at", startedAt.toString());
        root.put("queue_depth", capacity.queueDepth());
        root.put("in_flight", capacity.inFlight());
        return root;
    }

    private static String advertisedHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            // a wildcard bind is not an address others can use; the machine's name is the best guess
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "127.0.0.1";
            }
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void closeQuietly(InferenceEngine engine) {
        try {
            engine.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the engine of model " + engine.model().id() + " failed", e);
        }
    }
}
