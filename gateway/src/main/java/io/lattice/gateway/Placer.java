package io.lattice.gateway;

import io.lattice.api.ApiError;
import io.lattice.core.Candidate;
import io.lattice.core.ModelCapability;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.Placement;
import io.lattice.core.PlacementPolicy;
import io.lattice.core.ServedModel;
import io.lattice.core.WorkRequest;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a request into a {@link Lease} on a live node: the registry's live nodes become
 * {@link Candidate}s with this gateway's counts, the {@link PlacementPolicy} chooses, and the
 * chosen node's counters are taken. When nothing can be chosen it says why, as an {@link ApiError}:
 * 404 for a model the mesh does not serve (for this endpoint), 503 for one whose nodes are all stale.
 *
 * <p>Thread-safe. Two requests placed at the same instant may both see the same counts and pick
 * the same node; the policy sees the first one's lease on the next request.
 */
final class Placer {

    private static final System.Logger LOG = System.getLogger(Placer.class.getName());

    private final NodeRegistry registry;
    private final PlacementPolicy policy;

    Placer(NodeRegistry registry, PlacementPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    /**
     * Places {@code work} on a live node not in {@code excluded}.
     *
     * @return an open lease, or empty when no such node can take it
     */
    Optional<Lease> tryPlace(WorkRequest work, Set<String> excluded) {
        Instant now = registry.now();
        List<NodeEntry> live = registry.live(now);
        List<Candidate> candidates = new ArrayList<>(live.size());
        Map<String, NodeEntry> byId = new HashMap<>(live.size() * 2);
        for (NodeEntry e : live) {
            if (!excluded.contains(e.nodeId())) {
                candidates.add(e.candidate());
                byId.put(e.nodeId(), e);
            }
        }
        Optional<Placement> placement = policy.place(work, candidates);
        if (placement.isEmpty()) {
            return Optional.empty();
        }
        Placement p = placement.get();
        NodeEntry chosen = byId.get(p.chosen().nodeId());
        if (chosen == null) {
            throw new IllegalStateException("policy " + policy.name() + " chose " + p.chosen().nodeId()
                    + ", which was not among its candidates");
        }
        LOG.log(Level.DEBUG, () -> "placed " + work + " on " + chosen.nodeId() + ": " + p.reason());
        return Optional.of(chosen.acquire());
    }

    /**
     * Places {@code work} on a live node.
     *
     * @throws io.lattice.api.ApiException 404 or 503 saying why no node can take it
     */
    Lease place(WorkRequest work) {
        return tryPlace(work, Set.of()).orElseThrow(() -> whyNotPlaced(work).toException());
    }

    /** Explains, from the registry as it is now, why {@code work} has no node. */
    ApiError whyNotPlaced(WorkRequest work) {
        Instant now = registry.now();
        List<GatewayErrors.NodeState> silentServing = new ArrayList<>();
        int liveServing = 0;
        Set<ModelCapability> otherCapabilities = EnumSet.noneOf(ModelCapability.class);
        for (NodeEntry e : registry.all()) {
            NodeTelemetry t = e.telemetry();
            if (t.serves(work.model(), work.capability())) {
                if (registry.isLive(e, now)) {
                    liveServing++;
                } else {
                    silentServing.add(new GatewayErrors.NodeState(e.nodeId(), e.age(now)));
                }
            } else {
                for (ServedModel m : t.models()) {
                    if (m.id().equals(work.model())) {
                        otherCapabilities.addAll(m.capabilities());
                    }
                }
            }
        }
        if (liveServing > 0) {
            return GatewayErrors.notPlaced(work.model(), policy.name(), liveServing);
        }
        if (!silentServing.isEmpty()) {
            return GatewayErrors.noLiveNode(work.model(), work.capability(), silentServing,
                    registry.heartbeatTimeout());
        }
        if (!otherCapabilities.isEmpty()) {
            return GatewayErrors.wrongEndpoint(work.model(), work.capability(), otherCapabilities);
        }
        return ApiError.modelNotFound(work.model());
    }
}
