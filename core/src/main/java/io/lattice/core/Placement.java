package io.lattice.core;

import java.util.List;
import java.util.Objects;

/**
 * The choice of a node for one request.
 *
 * @param chosen      the node to run it on
 * @param policy      the name of the policy that chose it
 * @param reason      one line a person can read, for logs and explanations
 * @param explanation what the policy can say beyond {@code reason}, for example every candidate's cost
 *                    breakdown; {@link Explanation#NONE} when the policy keeps no table. Energy-aware
 *                    policies put an {@code io.lattice.core.energy.EnergyDecision} here.
 */
public record Placement(Candidate chosen, String policy, String reason, Explanation explanation) {
    public Placement {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** A placement without a candidate table. */
    public Placement(Candidate chosen, String policy, String reason) {
        this(chosen, policy, reason, Explanation.NONE);
    }

    /** The detail behind a placement, for {@code x-lattice-explain} and debug logs. */
    public interface Explanation {

        /** No detail beyond the reason. */
        Explanation NONE = List::of;

        /** One readable line per candidate the policy considered, in the order it was given them. */
        List<String> lines();
    }
}
