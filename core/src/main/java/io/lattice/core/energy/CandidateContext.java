package io.lattice.core.energy;

import io.lattice.core.Candidate;
import io.lattice.core.WorkRequest;
import java.util.Optional;

/**
 * What the caller knows about a candidate beyond its telemetry: its site, the site's conditions now,
 * the node's energy profile for the requested model and the round trip to it. The gateway implements
 * it from its site configuration, signal series and telemetry; the simulator from its replay.
 *
 * <p>Called once per candidate per placement, from request threads: implementations must be
 * thread-safe and should only read a snapshot, never block.
 */
@FunctionalInterface
public interface CandidateContext {

    /**
     * Describes {@code candidate} for {@code work}.
     *
     * @return the candidate with its context, wrapping a candidate of the same node id; empty when
     *         nothing is known of its site, in which case the policy does not consider it
     */
    Optional<EnergyCandidate> describe(Candidate candidate, WorkRequest work);
}
