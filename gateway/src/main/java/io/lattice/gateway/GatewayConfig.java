package io.lattice.gateway;

import io.lattice.core.LeastLoadedPolicy;
import io.lattice.core.GeoPoint;
import io.lattice.core.PlacementPolicy;
import io.lattice.core.energy.EnergyPolicies;
import io.lattice.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Gateway} runs. Immutable; start from {@link #defaults()} and change fields with the
 * {@code with...} methods, each of which checks its value and names the field when it refuses one.
 *
 * @param host               interface to bind, for example {@code 127.0.0.1} (default) or {@code 0.0.0.0}
 * @param port               TCP port; 0 picks a free one (see {@link Gateway#port()}); default 8080
 * @param heartbeatTimeout   a node whose last heartbeat is older than this gets no work and is shown
 *                           stale; default 3 s
 * @param maxBodyBytes       largest request body accepted, in bytes; larger ones get 413; default 16 MiB
 * @param nodeConnectTimeout how long to wait for a TCP connection to a node before trying another
 *                           node; default 2 s
 * @param nodeRequestTimeout how long a node may take to start its answer (response headers; for a
 *                           non-streamed request that is the whole generation) before the client
 *                           gets 504; default 300 s
 * @param policy             chooses among nodes at sites not in {@code sites} (all nodes when no sites
 *                           are configured); must be thread-safe; default {@link LeastLoadedPolicy}
 * @param clock              the gateway's "now", for heartbeat ages and site signals; tests pass a clock
 *                           they move
 * @param sites              the sites the gateway knows, with their signals; nodes at these sites are
 *                           placed by energy, money and carbon; default none (every node is then placed
 *                           by {@code policy})
 * @param defaultPolicy      the energy policy for requests without {@code x-lattice-policy}: one of
 *                           {@link EnergyPolicies#NAMES}; default {@code balanced}
 * @param location           where the gateway stands, for round-trip estimates to sites from their
 *                           coordinates; null (default) when unknown: every RTT is then taken as 0 ms
 * @param storeUrl           where the ledger (what every request used) is kept: {@code sqlite:/path/lattice.db}
 *                           or a file path, as {@link Store#open(String)} accepts; opened at
 *                           {@link Gateway#start}; default {@link Store#defaultUrl()} (tests give a temporary
 *                           directory)
 */
public record GatewayConfig(
        String host,
        int port,
        Duration heartbeatTimeout,
        long maxBodyBytes,
        Duration nodeConnectTimeout,
        Duration nodeRequestTimeout,
        PlacementPolicy policy,
        Clock clock,
        List<GatewaySite> sites,
        String defaultPolicy,
        GeoPoint location,
        String storeUrl) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_NODE_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_NODE_REQUEST_TIMEOUT = Duration.ofSeconds(300);
    public static final String DEFAULT_POLICY = EnergyPolicies.BALANCED;

    /** The largest body limit accepted: request bodies are held in one byte array. */
    public static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 8;

    public GatewayConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(nodeConnectTimeout, "nodeConnectTimeout");
        Objects.requireNonNull(nodeRequestTimeout, "nodeRequestTimeout");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sites, "sites");
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        Objects.requireNonNull(storeUrl, "storeUrl");
        if (storeUrl.isBlank()) {
            throw new IllegalArgumentException("storeUrl must not be blank; give sqlite:/path/lattice.db or a file path");
        }
        sites = List.copyOf(sites);
        Set<String> ids = new HashSet<>();
        for (GatewaySite site : sites) {
            if (!ids.add(site.id())) {
                throw new IllegalArgumentException("sites must have unique ids but '" + site.id()
                        + "' appears twice");
            }
        }
        if (!EnergyPolicies.NAMES.contains(defaultPolicy)) {
            throw new IllegalArgumentException("defaultPolicy must be one of " + EnergyPolicies.NAMES + " but was '"
                    + defaultPolicy + "'");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535 but was " + port);
        }
        requirePositive("heartbeatTimeout", heartbeatTimeout);
        requirePositive("nodeConnectTimeout", nodeConnectTimeout);
        requirePositive("nodeRequestTimeout", nodeRequestTimeout);
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be 1 to " + MAX_BODY_LIMIT + " but was "
                    + maxBodyBytes);
        }
    }

    /**
     * Loopback on port 8080, 3 s heartbeat timeout, 16 MiB bodies, no sites (least-loaded placement),
     * {@code balanced} as the energy policy once sites are given, no gateway location, system clock, the
     * ledger at {@link Store#defaultUrl()} (read from the environment when this is called).
     */
    public static GatewayConfig defaults() {
        return new GatewayConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_HEARTBEAT_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_NODE_CONNECT_TIMEOUT, DEFAULT_NODE_REQUEST_TIMEOUT, new LeastLoadedPolicy(),
                Clock.systemUTC(), List.of(), DEFAULT_POLICY, null, Store.defaultUrl());
    }

    public GatewayConfig withHost(String host) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withPort(int port) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withHeartbeatTimeout(Duration heartbeatTimeout) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withMaxBodyBytes(long maxBodyBytes) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withNodeConnectTimeout(Duration nodeConnectTimeout) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withNodeRequestTimeout(Duration nodeRequestTimeout) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withPolicy(PlacementPolicy policy) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withClock(Clock clock) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withSites(List<GatewaySite> sites) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    public GatewayConfig withDefaultPolicy(String defaultPolicy) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    /** @param location where the gateway stands; null when unknown */
    public GatewayConfig withLocation(GeoPoint location) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    /** @param storeUrl where the ledger is kept, for example {@code sqlite:/var/lib/lattice/lattice.db} */
    public GatewayConfig withStoreUrl(String storeUrl) {
        return new GatewayConfig(host, port, heartbeatTimeout, maxBodyBytes, nodeConnectTimeout, nodeRequestTimeout,
                policy, clock, sites, defaultPolicy, location, storeUrl);
    }

    private static void requirePositive(String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
    }
}
