package io.lattice.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Places work on the least-loaded node that serves the model.
 *
 * <p>Design note: load is the larger of the node's own count (queue plus in flight, up to one
 * heartbeat old) and the gateway's count of requests it has in flight there (fresh, but blind to
 * other gateways). Ties go to the node this gateway has used least, which spreads sequential
 * traffic round-robin instead of piling it on the first node in the list; the node id breaks the
 * last tie so the result never depends on list order.
 */
public final class LeastLoadedPolicy implements PlacementPolicy {

    public static final String NAME = "least-loaded";

    private static final Comparator<Candidate> ORDER = Comparator
            .comparingInt(LeastLoadedPolicy::load)
            .thenComparingLong(Candidate::placedTotal)
            .thenComparing(Candidate::nodeId);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Placement> place(WorkRequest work, List<Candidate> candidates) {
        return candidates.stream()
                .filter(c -> c.telemetry().serves(work.model(), work.capability()))
                .min(ORDER)
                .map(c -> new Placement(c, NAME, "least loaded: load " + load(c) + " of "
                        + candidates.size() + " candidates"));
    }

    static int load(Candidate c) {
        NodeTelemetry t = c.telemetry();
        return Math.max(t.queueDepth() + t.inFlight(), c.gatewayInFlight());
    }
}
