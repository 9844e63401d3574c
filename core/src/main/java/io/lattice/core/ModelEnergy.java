package io.lattice.core;

import java.util.Objects;

/**
 * What a node has learned about the energy and speed of one model it serves, from the requests it
 * actually ran: the figures the cost model turns into joules, carbon and latency.
 *
 * <p>Energy figures are the node's extra draw while the model worked (its idle draw is not charged
 * to requests), shared fairly among requests running at the same time; see the node agent's
 * {@code docs/node-protocol.md} for the attribution rule.
 *
 * @param modelId                 the model, as in {@link ServedModel#id()}
 * @param joulesPerPromptToken    energy per prompt (input) token, J; 0 or more
 * @param joulesPerOutputToken    energy per generated token, J; 0 or more (0 for embedding models)
 * @param prefillTokensPerSecond  measured prompt processing speed, tokens/s; 0 when not yet measured
 * @param decodeTokensPerSecond   measured generation speed after the first token, tokens/s; 0 when
 *                                not yet measured (always 0 for embedding models)
 * @param samples                 requests the figures are learned from (the node keeps a bounded
 *                                window of recent ones); at least 1
 * @param estimated               true when the watts behind the figures came from a power model, not
 *                                a meter (RAPL, NVML)
 */
public record ModelEnergy(
        String modelId,
        double joulesPerPromptToken,
        double joulesPerOutputToken,
        double prefillTokensPerSecond,
        double decodeTokensPerSecond,
        int samples,
        boolean estimated) {

    public ModelEnergy {
        Objects.requireNonNull(modelId, "modelId");
        requireAmount(joulesPerPromptToken, "joulesPerPromptToken");
        requireAmount(joulesPerOutputToken, "joulesPerOutputToken");
        requireAmount(prefillTokensPerSecond, "prefillTokensPerSecond");
        requireAmount(decodeTokensPerSecond, "decodeTokensPerSecond");
        if (samples < 1) {
            throw new IllegalArgumentException("samples of model " + modelId + " must be at least 1 but was "
                    + samples);
        }
    }

    /** Energy in J of a request with {@code promptTokens} in and {@code outputTokens} out, idle draw excluded. */
    public double joules(long promptTokens, long outputTokens) {
        return joulesPerPromptToken * promptTokens + joulesPerOutputToken * outputTokens;
    }

    private static void requireAmount(double value, String field) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number of at least 0 but was " + value);
        }
    }
}
