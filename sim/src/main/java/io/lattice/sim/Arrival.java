package io.lattice.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * One request arriving at the gateway in simulated time.
 *
 * @param at           when it arrives at the gateway
 * @param promptTokens tokens in the prompt, ≥ 0
 * @param outputTokens tokens it generates, ≥ 0
 */
public record Arrival(Instant at, int promptTokens, int outputTokens) {
    public Arrival {
        Objects.requireNonNull(at, "Arrival: at must not be null");
        if (promptTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("Arrival: token counts must be >= 0 but were " + promptTokens + " and "
                    + outputTokens);
        }
    }

    /** Prompt plus output tokens. */
    public int tokens() {
        return promptTokens + outputTokens;
    }
}
