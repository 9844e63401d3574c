package io.lattice.core.energy;

import io.lattice.core.WorkRequest;
import java.util.List;

/**
 * Chooses a node for a request from candidates that carry their site, conditions, energy profile,
 * queue and round trip, and explains the choice. {@link EnergyPolicies} builds the standard ones and
 * adapts them to {@link io.lattice.core.PlacementPolicy}.
 *
 * <p>Implementations are pure functions of their arguments and of what they were given at
 * construction (a seeded random source at most), and thread-safe.
 */
public interface EnergyPolicy {

    /** A short stable name: {@code fastest}, {@code cheapest}, {@code greenest} or {@code balanced}. */
    String name();

    /**
     * Chooses among {@code candidates} for {@code work}.
     *
     * @param work       the request, with its expected size, latency objective and allowed jurisdictions
     * @param candidates the nodes to consider; may include nodes that do not serve the model
     * @return the decision, with a row per candidate in the order given; {@link EnergyDecision#chosen()}
     *         is empty when no candidate can take the work
     */
    EnergyDecision decide(WorkRequest work, List<EnergyCandidate> candidates);
}
