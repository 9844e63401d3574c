package io.lattice.core.signal;

/**
 * Which carbon intensity figure to read from an Electricity Maps-style file.
 *
 * <p>Lattice defaults to {@link #LIFECYCLE}: it is Electricity Maps' headline figure and the
 * default of its API, and it charges wind, solar, hydro and nuclear for their construction and
 * fuel chain instead of counting them as zero, so "greenest" does not over-reward a grid that is
 * clean only at the chimney. Pick {@link #DIRECT} to compare with sources that publish direct
 * figures only (the UK Carbon Intensity API reports direct, operational emissions) or for
 * location-based Scope 2 reporting in the GHG Protocol's narrow sense. Never mix bases across the
 * sites of one mesh: the ranking between zones can change.
 */
public enum CarbonBasis {
    /** Direct (operational) emissions at the power plant, gCO2e/kWh: column {@code (direct)}. */
    DIRECT,
    /** Life-cycle emissions including construction and fuel supply, gCO2e/kWh: column {@code (LCA)}. */
    LIFECYCLE;

    /** The basis Lattice uses unless a site says otherwise: {@link #LIFECYCLE}. */
    public static final CarbonBasis DEFAULT = LIFECYCLE;
}
