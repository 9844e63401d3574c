package io.lattice.core.energy;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a site's signals say at one instant. Built by whoever reads the signals (the gateway from the
 * signal series and node telemetry, the simulator from its replay); the cost model only reads it.
 *
 * @param at                      the instant these values describe
 * @param carbonIntensityGPerKwh  grid carbon intensity in gCO2e/kWh, ≥ 0
 * @param priceUsdPerMwh          grid energy price in USD/MWh; may be negative (surplus hours)
 * @param onsiteGenerationKw      on-site generation (PV, wind) now, in kW, ≥ 0
 * @param heatDemandKwTh          heat the site's heat taker wants now, in kW_th, ≥ 0 (0 when it wants
 *                                none, for example on a warm afternoon)
 * @param siteItDrawKw            the site's current IT draw in kW, ≥ 0: the sum of its nodes' telemetry
 *                                (the facility draw is this × PUE)
 * @param forecast                which of these values come from a forecast, not a reading
 * @param stale                   which of these values are older than their source promises (last good
 *                                value carried forward)
 */
public record SiteConditions(
        Instant at,
        double carbonIntensityGPerKwh,
        double priceUsdPerMwh,
        double onsiteGenerationKw,
        double heatDemandKwTh,
        double siteItDrawKw,
        Set<Quantity> forecast,
        Set<Quantity> stale) {

    /** The values a {@link SiteConditions} holds, for the forecast and stale flags. */
    public enum Quantity {
        CARBON_INTENSITY,
        PRICE,
        ONSITE_GENERATION,
        HEAT_DEMAND,
        SITE_DRAW
    }

    public SiteConditions {
        Objects.requireNonNull(at, "SiteConditions: at must not be null");
        String owner = "SiteConditions at " + at;
        Checks.atLeast(owner, "carbonIntensityGPerKwh", carbonIntensityGPerKwh, 0, "grid carbon cannot be negative");
        Checks.finite(owner, "priceUsdPerMwh", priceUsdPerMwh);
        Checks.atLeast(owner, "onsiteGenerationKw", onsiteGenerationKw, 0, "generation cannot be negative");
        Checks.atLeast(owner, "heatDemandKwTh", heatDemandKwTh, 0, "heat demand cannot be negative");
        Checks.atLeast(owner, "siteItDrawKw", siteItDrawKw, 0, "draw cannot be negative");
        forecast = Set.copyOf(Objects.requireNonNull(forecast, "SiteConditions: forecast must not be null"));
        stale = Set.copyOf(Objects.requireNonNull(stale, "SiteConditions: stale must not be null"));
    }

    /** Conditions whose values are all fresh readings. */
    public SiteConditions(Instant at, double carbonIntensityGPerKwh, double priceUsdPerMwh,
                          double onsiteGenerationKw, double heatDemandKwTh, double siteItDrawKw) {
        this(at, carbonIntensityGPerKwh, priceUsdPerMwh, onsiteGenerationKw, heatDemandKwTh, siteItDrawKw,
                Set.of(), Set.of());
    }

    /** Whether any value is a forecast or stale, so figures derived from it are estimates. */
    public boolean estimated() {
        return !forecast.isEmpty() || !stale.isEmpty();
    }
}
