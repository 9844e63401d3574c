package io.lattice.gateway;

import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes this gateway has heard from, fed by heartbeats. A node is <em>live</em> while its last
 * heartbeat is at most {@code heartbeatTimeout} old by the injected clock; a node that falls silent
 * stays known (shown stale, and counted in 503 messages) and becomes live again with its next
 * heartbeat, keeping its counters.
 *
 * <p>Thread-safe: heartbeats and request threads use it concurrently without locks.
 */
final class NodeRegistry {

    private static final System.Logger LOG = System.getLogger(NodeRegistry.class.getName());

    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final ConcurrentHashMap<String, NodeEntry> nodes = new ConcurrentHashMap<>();

    NodeRegistry(Clock clock, Duration heartbeatTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.heartbeatTimeout = Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    }

    Instant now() {
        return clock.instant();
    }

    Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** Records a heartbeat; the first one of a node id announces the node. */
    void heartbeat(NodeTelemetry telemetry) {
        Instant now = clock.instant();
        NodeEntry created = new NodeEntry(telemetry, now);
        NodeEntry existing = nodes.putIfAbsent(telemetry.nodeId(), created);
        if (existing == null) {
            LOG.log(Level.INFO, () -> "node " + telemetry.nodeId() + " joined from site " + telemetry.siteId() + " at "
                    + telemetry.baseUrl() + " serving " + telemetry.models().stream().map(ServedModel::id).toList());
            return;
        }
        Duration silence = existing.age(now);
        existing.heartbeat(telemetry, now);
        if (existing.markHeard()) {
            LOG.log(Level.INFO, () -> "node " + telemetry.nodeId() + " is back after " + Durations.seconds(silence)
                    + " without heartbeats");
        }
    }

    /** The nodes that may get work now. */
    List<NodeEntry> live(Instant now) {
        List<NodeEntry> live = new ArrayList<>(nodes.size());
        for (NodeEntry e : nodes.values()) {
            if (e.isLive(now, heartbeatTimeout)) {
                live.add(e);
            } else if (e.markSilent()) {
                // noticed lazily (no timer thread): on the first request or listing after the timeout
                Duration age = e.age(now);
                LOG.log(Level.INFO, () -> "node " + e.nodeId() + " went silent: last heartbeat "
                        + Durations.seconds(age) + " ago; it gets no work until it heartbeats again");
            }
        }
        return live;
    }

    boolean isLive(NodeEntry entry, Instant now) {
        return entry.isLive(now, heartbeatTimeout);
    }

    /** Every known node, live or not, sorted by node id. */
    List<NodeEntry> all() {
        List<NodeEntry> all = new ArrayList<>(nodes.values());
        all.sort(Comparator.comparing(NodeEntry::nodeId));
        return all;
    }

    /** The ids of the models that live nodes serve now, sorted. */
    SortedSet<String> liveModels(Instant now) {
        return modelIds(live(now));
    }

    static SortedSet<String> modelIds(Collection<NodeEntry> entries) {
        SortedSet<String> ids = new TreeSet<>();
        for (NodeEntry e : entries) {
            for (ServedModel m : e.telemetry().models()) {
                ids.add(m.id());
            }
        }
        return ids;
    }
}
