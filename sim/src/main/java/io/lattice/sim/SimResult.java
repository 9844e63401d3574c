package io.lattice.sim;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What one placer did over one replay. Totals are sums over every request; TTFTs are in ms, from the
 * gateway's point of view (round trip + queue wait + prefill).
 *
 * @param policy          the placer's name
 * @param requests        requests served
 * @param tokens          prompt plus output tokens served
 * @param carbonG         gCO2e
 * @param costUsd         grid money in USD
 * @param facilityKwh     facility energy in kWh (IT × PUE)
 * @param ttftMs          every request's TTFT, sorted ascending
 * @param withinObjective requests whose TTFT met the objective
 * @param maxQueueWaitMs  the longest time a request waited for a slot
 * @param requestsBySite  requests served per site id
 */
public record SimResult(String policy, long requests, long tokens, double carbonG, double costUsd,
                        double facilityKwh, double[] ttftMs, long withinObjective, double maxQueueWaitMs,
                        Map<String, Long> requestsBySite) {

    public SimResult {
        Objects.requireNonNull(policy, "policy");
        ttftMs = ttftMs.clone();
        Arrays.sort(ttftMs);
        requestsBySite = Map.copyOf(requestsBySite);
    }

    @Override
    public double[] ttftMs() {
        return ttftMs.clone();
    }

    /** gCO2e per 1,000 tokens. */
    public double carbonGPer1kTokens() {
        return tokens == 0 ? 0 : carbonG / tokens * 1000;
    }

    /** USD per 1,000,000 tokens. */
    public double usdPer1MTokens() {
        return tokens == 0 ? 0 : costUsd / tokens * 1e6;
    }

    /** The {@code q}-quantile of TTFT in ms (nearest rank), {@code 0 < q <= 1}; NaN with no requests. */
    public double ttftQuantileMs(double q) {
        if (ttftMs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * ttftMs.length);
        return ttftMs[Math.clamp(rank - 1, 0, ttftMs.length - 1)];
    }

    /** Share of requests within the TTFT objective, 0 to 1. */
    public double shareWithinObjective() {
        return requests == 0 ? 1 : withinObjective / (double) requests;
    }
}
