package io.lattice.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import io.lattice.core.ModelEnergy;
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
import java.nio.file.Path;
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
import java.util.function.Supplier;

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
 * <p>Power: the agent meters itself with RAPL (plus NVML for NVIDIA GPUs) where the machine allows,
 * and otherwise estimates with the calibrated model in {@link NodeConfig#power()}; from the energy
 * each request used it learns, per model, joules per prompt and output token and prefill and decode
 * speeds, and reports them in every heartbeat ({@link NodeTelemetry#modelEnergy()}).
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
    private final PowerMeter power;
    private final RequestMeter requests;
    private final NodeHttp http;
    private final WebServer server;
    private final URI baseUrl;
    private final Heartbeats heartbeats;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Where the agent looks for power meters.
     *
     * @param powercap the powercap folder with the RAPL zones
     * @param nvml     opens NVML (asked only when RAPL is there)
     */
    record MeterSources(Path powercap, Supplier<Probe<NvmlLibrary>> nvml) {
        /** This machine's: {@code /sys/class/powercap} and {@code libnvidia-ml.so.1}. */
        static final MeterSources SYSTEM = new MeterSources(RaplReader.POWERCAP,
                () -> NativeNvml.load(NativeNvml.LIBRARY));
    }

    private NodeAgent(NodeConfig config, List<InferenceEngine> given, List<InferenceEngine> opened,
                      InstantSource clock, MeterSources meters) {
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
        PowerEstimate estimate = new PowerEstimate(config.power(), busy, new CpuMeter(CpuMeter.PROC_STAT, clock),
                clock);
        this.power = PowerMeter.choose("node " + config.nodeId(), config.power(), estimate, meters.powercap(),
                meters.nvml(), clock);
        Served served;
        try {
            this.requests = new RequestMeter(power, local, clock, TokenEnergy.DEFAULT_WINDOW);
            served = serve(config, byId);
        } catch (RuntimeException | Error e) {
            power.close();
            throw e;
        }
        this.http = served.handlers();
        this.server = served.server();
        this.baseUrl = config.advertisedBaseUrl() != null ? config.advertisedBaseUrl()
                : URI.create("http://" + advertisedHost(config.host()) + ":" + server.port());
        this.heartbeats = new Heartbeats(config.nodeId(), config.gateways(), config.heartbeatInterval(),
                this::telemetry);
        heartbeats.start();
        LOG.log(Level.INFO, "node " + config.nodeId() + " at site " + config.siteId() + " serves "
                + engines.keySet() + " at " + baseUrl + (config.gateways().isEmpty() ? "" : "; gateways "
                + config.gateways()));
        LOG.log(Level.INFO, "node " + config.nodeId() + (power.estimated()
                ? " estimates its power with the calibrated model (" + power.detail() + ")"
                : " meters its power with " + power.source() + " (" + power.detail() + ")"));
    }

    /** The HTTP handlers and the running server. */
    private record Served(NodeHttp handlers, WebServer server) {
    }

    /** @param byId the engines in the order {@code /v1/models} lists them */
    private Served serve(NodeConfig config, Map<String, InferenceEngine> byId) {

        OpenAiErrors errors = new OpenAiErrors(config.maxBodyBytes(),
                Map.of(LatticeHeaders.NODE, config.nodeId(), LatticeHeaders.SITE, config.siteId()),
                EngineErrors::asApiError);
        NodeHttp handlers = new NodeHttp(config.nodeId(), config.siteId(), byId, capacity, outputRate, requests,
                errors, config.maxBodyBytes(), clock, this::health);
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .directHandlers(errors.directHandlers())
                .routing(handlers::routing)
                .build()
                .start();
        if (!server.isRunning()) {
            // Helidon logs the bind failure and returns a stopped server instead of throwing
            server.stop();
            throw new IllegalStateException("node " + config.nodeId() + ": cannot serve on " + config.host() + ":"
                    + config.port() + "; the port is in use or the address is not this machine's");
        }
        return new Served(handlers, server);
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
        return start(config, engines, clock, MeterSources.SYSTEM);
    }

    /**
     * As {@link #start(NodeConfig, List, InstantSource)}, looking for power meters in {@code meters}.
     *
     * @throws IllegalStateException also when {@code power.source} is {@code rapl} and RAPL cannot be read
     */
    static NodeAgent start(NodeConfig config, List<InferenceEngine> engines, InstantSource clock,
                           MeterSources meters) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meters, "meters");
        List<InferenceEngine> opened = new ArrayList<>();
        try {
            for (ModelSpec spec : config.models()) {
                opened.add(Engines.open(spec));
            }
            return new NodeAgent(config, List.copyOf(engines), opened, clock, meters);
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

    /**
     * A fresh reading: what the next heartbeat would send. {@code powerEstimated} is false when RAPL
     * (and NVML) measure the node; {@code modelEnergy} lists the models it has run requests of.
     */
    public NodeTelemetry telemetry() {
        return new NodeTelemetry(config.nodeId(), config.siteId(), baseUrl.toString(), models,
                capacity.queueDepth(), capacity.inFlight(), outputRate.tokensPerSecond(), power.watts(),
                power.estimated(), clock.instant(), requests.report());
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
            power.close();
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

    /** The power meter, for tests in this package. */
    PowerMeter power() {
        return power;
    }

    /** The per-request energy learning, for tests in this package. */
    RequestMeter requests() {
        return requests;
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
        root.put("power_watts", power.watts());
        root.put("power_estimated", power.estimated());
        root.put("power_source", power.source());
        root.put("power_detail", power.detail());
        ArrayNode learned = root.putArray("model_energy");
        for (ModelEnergy e : requests.report()) {
            // the same shape as in heartbeats
            learned.add(Json.mapper().<ObjectNode>valueToTree(e));
        }
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
