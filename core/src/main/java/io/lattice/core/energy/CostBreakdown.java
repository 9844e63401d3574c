package io.lattice.core.energy;

import java.util.Objects;

/**
 * The expected cost of one request on one candidate: what it uses, how long it takes, and whether the
 * site could power it.
 *
 * @param energy             energy, money, carbon, water and heat
 * @param latency            network, queue, prefill and decode times
 * @param powerLimitExceeded true when adding the request's power would take the site's facility draw
 *                           above its power limit
 */
public record CostBreakdown(EnergyCost energy, LatencyEstimate latency, boolean powerLimitExceeded) {
    public CostBreakdown {
        Objects.requireNonNull(energy, "energy");
        Objects.requireNonNull(latency, "latency");
    }
}
