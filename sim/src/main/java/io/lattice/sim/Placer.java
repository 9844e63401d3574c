package io.lattice.sim;

import io.lattice.core.Candidate;
import io.lattice.core.LeastLoadedPolicy;
import io.lattice.core.WorkRequest;
import io.lattice.core.energy.EnergyCandidate;
import io.lattice.core.energy.EnergyPolicy;
import java.util.List;
import java.util.Objects;

/**
 * Chooses a node for one simulated request: a core policy, or a baseline.
 *
 * <p>Placers may keep state (round-robin does), so use one per run; {@link PlacementSim#compare} asks for
 * fresh ones. Not thread-safe.
 */
public interface Placer {

    /** The name printed in the table. */
    String name();

    /**
     * The index in {@code candidates} of the node to run {@code work} on.
     *
     * @throws IllegalStateException when the policy chooses none (no candidate can take the work)
     */
    int choose(WorkRequest work, List<EnergyCandidate> candidates);

    /** A core energy policy, through {@link EnergyPolicy#decide}. */
    static Placer of(EnergyPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new Placer() {
            @Override
            public String name() {
                return policy.name();
            }

            @Override
            public int choose(WorkRequest work, List<EnergyCandidate> candidates) {
                var decision = policy.decide(work, candidates);
                var chosen = decision.chosen()
                        .orElseThrow(() -> new IllegalStateException(decision.reason()));
                return indexOf(candidates, chosen.nodeId());
            }
        };
    }

    /** The core {@link LeastLoadedPolicy}, given each candidate's plain {@link Candidate}. */
    static Placer leastLoaded() {
        LeastLoadedPolicy policy = new LeastLoadedPolicy();
        return new Placer() {
            @Override
            public String name() {
                return LeastLoadedPolicy.NAME;
            }

            @Override
            public int choose(WorkRequest work, List<EnergyCandidate> candidates) {
                List<Candidate> plain = candidates.stream().map(EnergyCandidate::candidate).toList();
                Candidate chosen = policy.place(work, plain)
                        .orElseThrow(() -> new IllegalStateException("least-loaded chose no node")).chosen();
                return indexOf(candidates, chosen.nodeId());
            }
        };
    }

    /** Every node in turn, in candidate order, blind to load, price and carbon. */
    static Placer roundRobin() {
        return new Placer() {
            private int next;

            @Override
            public String name() {
                return "round-robin";
            }

            @Override
            public int choose(WorkRequest work, List<EnergyCandidate> candidates) {
                int i = next % candidates.size();
                next = (next + 1) % candidates.size();
                return i;
            }
        };
    }

    private static int indexOf(List<EnergyCandidate> candidates, String nodeId) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).nodeId().equals(nodeId)) {
                return i;
            }
        }
        throw new IllegalStateException("chosen node " + nodeId + " is not a candidate");
    }
}
