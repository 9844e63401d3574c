package io.lattice.sim;

import io.lattice.core.energy.SiteConditions;
import io.lattice.core.energy.Site;
import io.lattice.core.signal.TimeSeries;
import java.time.Instant;
import java.util.Objects;

/**
 * A simulated site: the core {@link Site} plus the recorded signals that drive it.
 *
 * <p>The simulation has no on-site generation and no heat taker, so those conditions are 0; the site's IT
 * draw is left at 0 as well, because with neither it changes no figure the cost model returns (and the
 * power limit is unlimited).
 *
 * @param site   the site as core sees it
 * @param carbon hourly carbon intensity in gCO2e/kWh; must cover the replay
 * @param price  hourly price in USD/MWh; must cover the replay
 */
public record SimSite(Site site, TimeSeries carbon, TimeSeries price) {

    public SimSite {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(carbon, "carbon");
        Objects.requireNonNull(price, "price");
    }

    /** The site's id. */
    public String id() {
        return site.id();
    }

    /**
     * The site's conditions at {@code at}.
     *
     * @throws IllegalArgumentException when a series does not cover {@code at}
     */
    public SiteConditions conditionsAt(Instant at) {
        return new SiteConditions(at, carbon.valueAt(at), price.valueAt(at), 0, 0, 0);
    }
}
