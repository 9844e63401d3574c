package io.lattice.core.energy;

/**
 * How much each criterion counts in a policy's score. Each criterion is min-max normalised across the
 * eligible candidates (0 for the best, 1 for the worst), so a weight is the score a candidate loses by
 * being the worst rather than the best on that criterion. Only ratios between weights matter.
 *
 * @param latency time to first token for streamed requests, time to the last token otherwise (ms)
 * @param money   net cost (USD)
 * @param carbon  emissions (gCO2e)
 * @param water   water (L)
 * @param load    queue wait (ms): keeps a slightly better node from taking everything while it is busy
 */
public record PolicyWeights(double latency, double money, double carbon, double water, double load) {

    /** Latency only; the queue wait is already part of latency. */
    public static final PolicyWeights FASTEST = new PolicyWeights(1, 0, 0, 0, 0);
    /** Money, with a small load penalty. */
    public static final PolicyWeights CHEAPEST = new PolicyWeights(0, 1, 0, 0, 0.1);
    /** Carbon, with a small load penalty. */
    public static final PolicyWeights GREENEST = new PolicyWeights(0, 0, 1, 0, 0.1);
    /** Carbon first, then money and latency, a little water and load. */
    public static final PolicyWeights BALANCED = new PolicyWeights(0.2, 0.25, 0.35, 0.1, 0.1);

    public PolicyWeights {
        Checks.atLeast("PolicyWeights", "latency", latency, 0, "weights are not negative");
        Checks.atLeast("PolicyWeights", "money", money, 0, "weights are not negative");
        Checks.atLeast("PolicyWeights", "carbon", carbon, 0, "weights are not negative");
        Checks.atLeast("PolicyWeights", "water", water, 0, "weights are not negative");
        Checks.atLeast("PolicyWeights", "load", load, 0, "weights are not negative");
        if (latency + money + carbon + water + load <= 0) {
            throw new IllegalArgumentException("PolicyWeights: at least one weight must be > 0 but all were 0");
        }
    }

    /** These weights with {@code load} replaced. */
    public PolicyWeights withLoad(double newLoad) {
        return new PolicyWeights(latency, money, carbon, water, newLoad);
    }
}
