package io.lattice.core;

import java.util.Objects;

/**
 * The choice of a node for one request.
 *
 * @param chosen the node to run it on
 * @param policy the name of the policy that chose it
 * @param reason one line a person can read, for logs and explanations
 */
public record Placement(Candidate chosen, String policy, String reason) {
    public Placement {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reason, "reason");
    }
}
