package io.lattice.core.energy;

import io.lattice.core.Candidate;
import io.lattice.core.Placement;
import io.lattice.core.PlacementPolicy;
import io.lattice.core.WorkRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets the gateway call an {@link EnergyPolicy} through {@link PlacementPolicy}: each candidate is
 * described by the {@link CandidateContext}, the policy decides, and the placement carries the
 * {@link EnergyDecision} as its explanation. Candidates the context cannot describe are not considered
 * and named in the reason. Thread-safe when the context is.
 */
final class EnergyPlacementPolicy implements PlacementPolicy {

    private final EnergyPolicy policy;
    private final CandidateContext context;

    EnergyPlacementPolicy(EnergyPolicy policy, CandidateContext context) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public String name() {
        return policy.name();
    }

    @Override
    public Optional<Placement> place(WorkRequest work, List<Candidate> candidates) {
        List<EnergyCandidate> described = new ArrayList<>(candidates.size());
        List<String> unknown = new ArrayList<>();
        for (Candidate c : candidates) {
            Optional<EnergyCandidate> d = Objects.requireNonNull(context.describe(c, work),
                    "CandidateContext.describe returned null for " + c.nodeId());
            if (d.isEmpty()) {
                unknown.add(c.nodeId());
                continue;
            }
            if (!d.get().nodeId().equals(c.nodeId())) {
                throw new IllegalStateException("CandidateContext described node " + c.nodeId() + " as node "
                        + d.get().nodeId());
            }
            described.add(d.get());
        }
        EnergyDecision decision = policy.decide(work, described);
        String reason = unknown.isEmpty() ? decision.reason()
                : decision.reason() + "; not considered, no site context: " + unknown;
        return decision.chosen().map(row -> new Placement(row.candidate().candidate(), decision.policy(), reason,
                decision));
    }

    @Override
    public String toString() {
        return "PlacementPolicy(" + policy + ")";
    }
}
