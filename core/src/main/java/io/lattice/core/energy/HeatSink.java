package io.lattice.core.energy;

/**
 * Who takes a site's waste heat and what it is worth. How much heat they want at a given moment is a
 * time signal ({@link SiteConditions#heatDemandKwTh()}); this record holds what does not change.
 *
 * <p>"No heat sink" is {@link #NONE}: a recovery fraction of 0, so no heat is ever counted as reused.
 *
 * @param valueUsdPerKwhTh what one kWh of delivered heat is worth to the taker, in USD/kWh_th, ≥ 0
 *                         (for example the gas it replaces)
 * @param recoveryFraction share of the IT electricity that reaches the taker as useful heat, 0 to 1.
 *                         Practically all IT electricity ends as heat; what is lost is what the heat
 *                         exchanger misses (air-cooled exhaust recovers less than a water loop)
 */
public record HeatSink(double valueUsdPerKwhTh, double recoveryFraction) {

    /**
     * Recovery fraction assumed by {@link #worth(double)}: 0.9, an assumption for an air-to-water heat
     * exchanger on a container's exhaust. Sites that know better give their own figure.
     */
    public static final double DEFAULT_RECOVERY_FRACTION = 0.9;

    /** No heat taker: no heat is reused. */
    public static final HeatSink NONE = new HeatSink(0, 0);

    public HeatSink {
        Checks.atLeast("HeatSink", "valueUsdPerKwhTh", valueUsdPerKwhTh, 0, "heat is worth nothing or something");
        Checks.fraction("HeatSink", "recoveryFraction", recoveryFraction);
    }

    /** A heat taker paying {@code valueUsdPerKwhTh} USD per kWh_th, with the default recovery fraction. */
    public static HeatSink worth(double valueUsdPerKwhTh) {
        return new HeatSink(valueUsdPerKwhTh, DEFAULT_RECOVERY_FRACTION);
    }

    /** Whether this is "no heat sink": nothing is ever reused. */
    public boolean isNone() {
        return recoveryFraction == 0;
    }
}
