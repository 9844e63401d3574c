package io.lattice.core.energy;

import io.lattice.core.WorkRequest;

/**
 * Turns a request and a candidate into a {@link CostBreakdown}; pure arithmetic, stateless and
 * thread-safe.
 *
 * <p>Design note. For {@code P} prompt and {@code O} output tokens on a node with profile {@code p}
 * at a site {@code s} under conditions {@code c}:
 * <pre>
 *   IT energy J        E   = p.J/prompt × P + p.J/output × O
 *   facility kWh       F   = E / 3.6e6 × PUE
 *   service time s     T   = P / prefill rate + O / decode rate
 *   request IT kW      r   = E / T / 1000
 *   site draw kW       D   = (c.site IT draw + r) × PUE              (facility side, this request added)
 *   on-site share      g   = min(1, c.on-site generation / D)
 *   carbon gCO2e           = F × c.intensity × (1 − g)
 *   grid money USD         = F × c.price / 1000                      (USD/MWh → USD/kWh; may be negative)
 *   heat reused kWh_th H   = E/3.6e6 × recovery × min(1, c.heat demand / ((c.site IT draw + r) × recovery))
 *   money USD              = grid money − H × heat value
 *   water L                = E/3.6e6 × WUE                           (WUE is per IT kWh, as The Green Grid defines it)
 *   TTFT ms                = RTT + queue wait + P / prefill rate
 *   total ms               = TTFT + O / decode rate
 *   power limit exceeded   = D &gt; site power limit
 * </pre>
 * Shares are attributional: every request at a site gets the same on-site share and the same share of
 * wanted heat, so the figures of concurrent requests add up to what the site did. Heat counts only
 * while the heat taker wants it, and at most its demand over the request's service time: the share
 * {@code min(1, demand / site heat output)} is exactly that cap, split across everything the site runs.
 * On-site generation is charged at the grid price: energy used here could have been sold there, so it
 * is not free (the opportunity-cost view), but it is carbon-free in operation. Heat comes from IT
 * energy only: cooling overhead is rejected, not delivered.
 */
public final class CostModel {

    /** Joules in one kWh. */
    public static final double JOULES_PER_KWH = 3.6e6;

    /** A cost model; it holds no state, so one instance can serve every thread. */
    public CostModel() {
    }

    /** The cost of {@code work}, at its expected token counts, on {@code candidate}. */
    public CostBreakdown estimate(WorkRequest work, EnergyCandidate candidate) {
        return estimate(work.expectedPromptTokens(), work.expectedOutputTokens(), candidate);
    }

    /**
     * The cost of a request of {@code promptTokens} and {@code outputTokens} on {@code candidate}.
     *
     * @throws IllegalArgumentException when a token count is negative
     */
    public CostBreakdown estimate(int promptTokens, int outputTokens, EnergyCandidate candidate) {
        Checks.atLeast("CostModel.estimate", "promptTokens", promptTokens, 0);
        Checks.atLeast("CostModel.estimate", "outputTokens", outputTokens, 0);
        EnergyProfile p = candidate.profile();
        Site site = candidate.site();
        double prefillMs = p.prefillMs(promptTokens);
        double decodeMs = p.decodeMs(outputTokens);
        EnergyCost energy = account(p.energyJ(promptTokens, outputTokens), prefillMs + decodeMs, site,
                candidate.conditions(), p.measured());
        double rttMs = candidate.rtt().ms();
        double queueWaitMs = candidate.queue().waitMs();
        double ttftMs = rttMs + queueWaitMs + prefillMs;
        LatencyEstimate latency = new LatencyEstimate(rttMs, queueWaitMs, prefillMs, ttftMs,
                p.timePerOutputTokenMs(), decodeMs, ttftMs + decodeMs);
        return new CostBreakdown(energy, latency, energy.siteFacilityDrawKw() > site.powerLimitKw());
    }

    /**
     * What {@code itEnergyJ} used over {@code serviceMs} at {@code site} costs under {@code conditions}:
     * the same arithmetic as {@link #estimate}, for metered energy after a request ran, so the ledger and
     * the placement estimate never disagree on method. {@code conditions.siteItDrawKw()} is taken as the
     * site's draw without this request.
     *
     * @param itEnergyJ      IT energy in J, ≥ 0
     * @param serviceMs      how long the node worked on it in ms, ≥ 0 (0: its power is taken as 0)
     * @param energyMeasured whether {@code itEnergyJ} came from a meter
     */
    public EnergyCost account(double itEnergyJ, double serviceMs, Site site, SiteConditions conditions,
                              boolean energyMeasured) {
        Checks.atLeast("CostModel.account", "itEnergyJ", itEnergyJ, 0, "energy cannot be negative");
        Checks.atLeast("CostModel.account", "serviceMs", serviceMs, 0, "time cannot be negative");
        double itKwh = itEnergyJ / JOULES_PER_KWH;
        double facilityKwh = itKwh * site.pue();
        double itPowerKw = serviceMs > 0 ? itEnergyJ / (serviceMs / 1000.0) / 1000.0 : 0;
        double siteItKw = conditions.siteItDrawKw() + itPowerKw;
        double siteFacilityKw = siteItKw * site.pue();

        double onsiteShare = siteFacilityKw > 0 ? Math.min(1, conditions.onsiteGenerationKw() / siteFacilityKw) : 0;
        double carbonG = facilityKwh * conditions.carbonIntensityGPerKwh() * (1 - onsiteShare);
        double gridCostUsd = facilityKwh * conditions.priceUsdPerMwh() / 1000.0;

        HeatSink sink = site.heatSink();
        double siteHeatKwTh = siteItKw * sink.recoveryFraction();
        double wantedShare = siteHeatKwTh > 0 ? Math.min(1, conditions.heatDemandKwTh() / siteHeatKwTh) : 0;
        double heatReusedKwhTh = itKwh * sink.recoveryFraction() * wantedShare;
        double heatCreditUsd = heatReusedKwhTh * sink.valueUsdPerKwhTh();

        double waterL = itKwh * site.wueLitresPerKwh();
        boolean estimated = !energyMeasured || conditions.estimated();
        return new EnergyCost(itEnergyJ, facilityKwh, gridCostUsd, heatReusedKwhTh, heatCreditUsd,
                gridCostUsd - heatCreditUsd, onsiteShare, carbonG, waterL, itPowerKw, siteFacilityKw, estimated);
    }
}
