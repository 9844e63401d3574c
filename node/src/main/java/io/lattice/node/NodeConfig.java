package io.lattice.node;

import io.lattice.engine.ModelSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a node agent needs to start: who it is, where it serves, which gateways it joins,
 * how much it accepts and which models it loads. Immutable and validated on construction; build
 * one with {@link #builder(String, String)} or read one with {@link #load(Path)}.
 *
 * @param nodeId            unique node name within the mesh, for example {@code brittany-1}
 * @param siteId            the site the node stands at, for example {@code brittany-greenhouse}
 * @param host              the address to bind, {@code 127.0.0.1} by default
 * @param port              the port to bind; 0 picks any free port (the default)
 * @param advertisedBaseUrl where gateways reach this node (scheme, host and port, no {@code /v1});
 *                          null means {@code http://host:port} with the port actually bound
 * @param gateways          the gateways to send heartbeats to, each an absolute http(s) URI; may be empty
 * @param heartbeatInterval time between heartbeats, 1 s by default
 * @param maxBodyBytes      largest request body accepted, in bytes (16 MiB by default); larger ones get 413
 * @param queueLimit        requests that may wait for an engine slot across all models (64 by default);
 *                          one more gets 429. 0 means no waiting at all.
 * @param power             which power meter to use, and the calibrated model for when there is none
 * @param models            the models to load with {@link io.lattice.engine.Engines#open(ModelSpec)}
 * @param slots             requests each model runs at once, by model id; a model not listed runs one at a time
 */
public record NodeConfig(
        String nodeId,
        String siteId,
        String host,
        int port,
        URI advertisedBaseUrl,
        List<URI> gateways,
        Duration heartbeatInterval,
        long maxBodyBytes,
        int queueLimit,
        Power power,
        List<ModelSpec> models,
        Map<String, Integer> slots) {

    /** The default bind address: loopback only, so a node is never exposed by accident. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** The default body limit, 16 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** The largest body limit accepted, 1 GiB: bodies are read into memory. */
    public static final long MAX_BODY_BYTES_LIMIT = 1L << 30;
    /** The default bound of the wait queue. */
    public static final int DEFAULT_QUEUE_LIMIT = 64;

    public NodeConfig {
        requireName(nodeId, "nodeId");
        requireName(siteId, "siteId");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535 but was " + port);
        }
        if (advertisedBaseUrl != null) {
            requireHttpUri(advertisedBaseUrl, "advertisedBaseUrl");
        }
        gateways = List.copyOf(Objects.requireNonNull(gateways, "gateways"));
        for (int i = 0; i < gateways.size(); i++) {
            requireHttpUri(gateways.get(i), "gateways[" + i + "]");
        }
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("heartbeatInterval must be at least 10 ms but was " + heartbeatInterval);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be 1 to " + MAX_BODY_BYTES_LIMIT + " but was "
                    + maxBodyBytes);
        }
        if (queueLimit < 0) {
            throw new IllegalArgumentException("queueLimit must be 0 or more but was " + queueLimit);
        }
        Objects.requireNonNull(power, "power");
        models = List.copyOf(Objects.requireNonNull(models, "models"));
        Set<String> ids = new HashSet<>();
        for (ModelSpec m : models) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("model id '" + m.id() + "' is listed twice; model ids must be unique");
            }
        }
        Objects.requireNonNull(slots, "slots");
        for (Map.Entry<String, Integer> e : slots.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("slots of model '" + e.getKey() + "' must be at least 1 but was "
                        + e.getValue());
            }
        }
        slots = Map.copyOf(slots);
    }

    /** A builder with every default set; only the node and site ids are required. */
    public static Builder builder(String nodeId, String siteId) {
        return new Builder(nodeId, siteId);
    }

    /** A builder holding this config's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(nodeId, siteId);
        b.host = host;
        b.port = port;
        b.advertisedBaseUrl = advertisedBaseUrl;
        b.gateways.addAll(gateways);
        b.heartbeatInterval = heartbeatInterval;
        b.maxBodyBytes = maxBodyBytes;
        b.queueLimit = queueLimit;
        b.power = power;
        b.models.addAll(models);
        b.slots.putAll(slots);
        return b;
    }

    /**
     * Reads a node config from YAML. Relative model paths resolve against the file's folder.
     *
     * <pre>{@code
     * node: { id: brittany-1, site: brittany-greenhouse, host: 127.0.0.1, port: 9001,
     *         gateways: [http://127.0.0.1:8080] }
     * heartbeat-interval: 1s
     * power: { idle-watts: 45, max-watts: 180, source: auto }
     * models:
     *   - { id: tiny-llama, kind: gguf, path: models/tiny.gguf, context: 512, threads: 2 }
     *   - { id: all-minilm-l6-v2, kind: minilm }
     * }</pre>
     *
     * @throws IllegalArgumentException when the file is missing, is not YAML or breaks a rule; the
     *                                  message names the file, the field, the value and the rule, for
     *                                  example {@code node.yaml: models[1].path: file /x.gguf does not exist}
     */
    public static NodeConfig load(Path yaml) {
        return NodeConfigLoader.load(yaml, System::getenv);
    }

    /** Requests model {@code modelId} may run at once. */
    public int slotsOf(String modelId) {
        return slots.getOrDefault(modelId, 1);
    }

    private static void requireName(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank() || !value.strip().equals(value)) {
            throw new IllegalArgumentException(field + " must be a non-blank name without surrounding spaces but was '"
                    + value + "'");
        }
    }

    static void requireHttpUri(URI uri, String field) {
        Objects.requireNonNull(uri, field);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(field + " must be an absolute http or https URL with a host but was '"
                    + uri + "'");
        }
    }

    /**
     * How the node knows its power draw: which meter to use ({@code source}) and the calibrated model
     * {@code idleWatts + (maxWatts - idleWatts) × utilisation} used when it has no meter.
     *
     * @param idleWatts   draw of the whole node when idle, W
     * @param maxWatts    draw at full load, W; at least {@code idleWatts}
     * @param utilisation where the model's utilisation comes from
     * @param source      which meter: {@link PowerSource#AUTO} (default) measures where it can
     */
    public record Power(double idleWatts, double maxWatts, Utilisation utilisation, PowerSource source) {
        /** A small box: 20 W idle, 100 W flat out, utilisation from engine slots, metered where possible. */
        public static final Power DEFAULT = new Power(20, 100, Utilisation.SLOTS, PowerSource.AUTO);

        public Power {
            Objects.requireNonNull(utilisation, "utilisation");
            Objects.requireNonNull(source, "source");
            if (!(idleWatts >= 0) || !Double.isFinite(idleWatts)) {
                throw new IllegalArgumentException("idleWatts must be a finite number of at least 0 but was "
                        + idleWatts);
            }
            if (!(maxWatts >= idleWatts) || !Double.isFinite(maxWatts)) {
                throw new IllegalArgumentException("maxWatts must be finite and at least idleWatts (" + idleWatts
                        + ") but was " + maxWatts);
            }
        }

        /** Metered where possible ({@link PowerSource#AUTO}). */
        public Power(double idleWatts, double maxWatts, Utilisation utilisation) {
            this(idleWatts, maxWatts, utilisation, PowerSource.AUTO);
        }

        /** Utilisation from engine slots, metered where possible ({@link PowerSource#AUTO}). */
        public Power(double idleWatts, double maxWatts) {
            this(idleWatts, maxWatts, Utilisation.SLOTS, PowerSource.AUTO);
        }

        /** A copy with another source. */
        public Power withSource(PowerSource source) {
            return new Power(idleWatts, maxWatts, utilisation, source);
        }

        /** The estimated draw in W at {@code utilisation} (clamped to 0..1). */
        public double watts(double utilisation) {
            double u = Double.isNaN(utilisation) ? 0 : Math.clamp(utilisation, 0.0, 1.0);
            return idleWatts + (maxWatts - idleWatts) * u;
        }
    }

    /** Where the node's power figures come from ({@code power.source} in node.yaml). */
    public enum PowerSource {
        /**
         * RAPL package counters (plus NVIDIA GPUs through NVML) when the machine exposes readable ones,
         * reported as measured; otherwise the calibrated model, reported as estimated.
         */
        AUTO,
        /** RAPL (plus NVML) or refuse to start: for nodes whose figures must be measured. */
        RAPL,
        /**
         * Always the calibrated model. For several nodes sharing one machine (each would otherwise see
         * the whole machine's energy) and for machines whose counters are known to mislead.
         */
        MODEL
    }

    /** What the power model takes as the node's utilisation. */
    public enum Utilisation {
        /**
         * The share of time the node's local engine slots were busy over the last few seconds. Remote
         * engines do not count: their work burns power elsewhere. Attributable to this node even when
         * several nodes share a machine (as in the demo).
         */
        SLOTS,
        /** The machine's CPU busy share from {@code /proc/stat}; falls back to SLOTS where that file is missing. */
        CPU,
        /** The larger of the two. */
        MAX
    }

    /** Builds a {@link NodeConfig}; not thread-safe. */
    public static final class Builder {
        private final String nodeId;
        private final String siteId;
        private String host = DEFAULT_HOST;
        private int port;
        private URI advertisedBaseUrl;
        private final List<URI> gateways = new ArrayList<>();
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int queueLimit = DEFAULT_QUEUE_LIMIT;
        private Power power = Power.DEFAULT;
        private final List<ModelSpec> models = new ArrayList<>();
        private final Map<String, Integer> slots = new LinkedHashMap<>();

        private Builder(String nodeId, String siteId) {
            this.nodeId = nodeId;
            this.siteId = siteId;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where gateways reach this node; null (the default) derives it from host and port. */
        public Builder advertisedBaseUrl(URI advertisedBaseUrl) {
            this.advertisedBaseUrl = advertisedBaseUrl;
            return this;
        }

        /** Replaces the gateway list. */
        public Builder gateways(List<URI> gateways) {
            this.gateways.clear();
            this.gateways.addAll(gateways);
            return this;
        }

        public Builder addGateway(URI gateway) {
            this.gateways.add(gateway);
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder queueLimit(int queueLimit) {
            this.queueLimit = queueLimit;
            return this;
        }

        public Builder power(Power power) {
            this.power = power;
            return this;
        }

        /** Replaces the model list. */
        public Builder models(List<? extends ModelSpec> models) {
            this.models.clear();
            this.models.addAll(models);
            return this;
        }

        public Builder addModel(ModelSpec model) {
            this.models.add(model);
            return this;
        }

        /** Lets model {@code modelId} run {@code count} requests at once. */
        public Builder slots(String modelId, int count) {
            this.slots.put(modelId, count);
            return this;
        }

        /** @throws IllegalArgumentException when a value breaks a rule; the message names the field */
        public NodeConfig build() {
            return new NodeConfig(nodeId, siteId, host, port, advertisedBaseUrl, gateways, heartbeatInterval,
                    maxBodyBytes, queueLimit, power, models, slots);
        }
    }
}
