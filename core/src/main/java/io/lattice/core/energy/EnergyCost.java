package io.lattice.core.energy;

/**
 * What running one request at one site costs in energy, money, carbon, water and heat. Built by
 * {@link CostModel}, either ahead of the request (from an {@link EnergyProfile}) or after it (from
 * metered joules).
 *
 * @param itEnergyJ          energy the node itself uses, in J
 * @param facilityEnergyKwh  energy the site draws for it, in kWh: IT energy × PUE
 * @param gridCostUsd        facility kWh × price, in USD; negative when the price is
 * @param heatReusedKwhTh    heat delivered to the site's heat taker while it wants heat, in kWh_th
 * @param heatCreditUsd      heat reused × its value, in USD
 * @param costUsd            net money: grid cost − heat credit, in USD
 * @param onsiteShare        share of the site's draw covered by on-site generation, 0 to 1
 * @param carbonG            emissions in gCO2e: facility kWh × grid intensity × (1 − on-site share)
 * @param waterL             water in L: IT kWh × WUE
 * @param itPowerKw          the request's average IT power while it runs, in kW (energy / service time)
 * @param siteFacilityDrawKw the site's facility draw with this request added, in kW: (site IT draw +
 *                           request IT power) × PUE
 * @param estimated          true when any input was not measured: a prior energy profile, a power
 *                           model, or a forecast or stale signal
 */
public record EnergyCost(
        double itEnergyJ,
        double facilityEnergyKwh,
        double gridCostUsd,
        double heatReusedKwhTh,
        double heatCreditUsd,
        double costUsd,
        double onsiteShare,
        double carbonG,
        double waterL,
        double itPowerKw,
        double siteFacilityDrawKw,
        boolean estimated) {

    /** IT energy in kWh. */
    public double itEnergyKwh() {
        return itEnergyJ / CostModel.JOULES_PER_KWH;
    }
}
