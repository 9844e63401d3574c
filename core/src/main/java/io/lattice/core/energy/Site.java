package io.lattice.core.energy;

import io.lattice.core.GeoPoint;

import java.util.Objects;

/**
 * A place with one power and heat context. What changes over time (carbon, price, generation, heat
 * demand, draw) lives in {@link SiteConditions}; this record holds what does not.
 *
 * @param id              unique site name, matching {@code NodeTelemetry.siteId()} of its nodes
 * @param gridZone        the grid zone whose signals apply, for example {@code DE-LU} or {@code US-CAL-CISO}
 * @param pue             power usage effectiveness: facility energy / IT energy, ≥ 1
 * @param wueLitresPerKwh water usage effectiveness in L per kWh of IT energy (The Green Grid's
 *                        definition), ≥ 0; about 0 for an air-cooled micro site
 * @param powerLimitKw    the most the site may draw on the facility side (IT × PUE), in kW, &gt; 0;
 *                        {@link Double#POSITIVE_INFINITY} when unlimited
 * @param jurisdiction    the country and optional region the site stands in
 * @param location        where it stands, for network latency estimates
 * @param heatSink        who takes its heat, or {@link HeatSink#NONE}
 */
public record Site(
        String id,
        String gridZone,
        double pue,
        double wueLitresPerKwh,
        double powerLimitKw,
        Jurisdiction jurisdiction,
        GeoPoint location,
        HeatSink heatSink) {

    public Site {
        Checks.notBlank("Site", "id", id);
        String owner = "site " + id;
        Checks.notBlank(owner, "gridZone", gridZone);
        Checks.atLeast(owner, "pue", pue, 1.0, "facility energy cannot be less than IT energy");
        Checks.atLeast(owner, "wueLitresPerKwh", wueLitresPerKwh, 0, "water use cannot be negative");
        if (!(powerLimitKw > 0)) {
            throw new IllegalArgumentException(owner + ": powerLimitKw must be > 0 (Infinity for no limit) but was "
                    + powerLimitKw);
        }
        Objects.requireNonNull(jurisdiction, owner + ": jurisdiction must not be null");
        Objects.requireNonNull(location, owner + ": location must not be null");
        Objects.requireNonNull(heatSink, owner + ": heatSink must not be null (use HeatSink.NONE)");
    }
}
