package io.lattice.core;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the node for a request. Implementations are pure functions of their arguments (and of a
 * clock or seeded random source given at construction), so the live gateway and the simulator can
 * run the same code.
 *
 * <p>Implementations must be thread-safe: a gateway calls one policy from many request threads.
 */
public interface PlacementPolicy {

    /** A short stable name, for example {@code least-loaded}, shown in logs and explanations. */
    String name();

    /**
     * Picks a node among {@code candidates} for {@code work}.
     *
     * @param work       the request to place
     * @param candidates live nodes; may include nodes that do not serve the model
     * @return the placement, or empty when no candidate can take the work
     */
    Optional<Placement> place(WorkRequest work, List<Candidate> candidates);
}
