package io.lattice.core.signal;

/**
 * The kinds of time-varying site conditions Lattice places work by, each with its fixed unit.
 *
 * <p>A {@link TimeSeries} of a given kind must carry {@link #unit()} as its unit; the signal
 * sources check this when a series is registered, so a temperature in °C can never be read as a
 * carbon intensity.
 */
public enum SignalKind {
    /** Grid carbon intensity in gCO2e/kWh (grams of CO2-equivalent per kilowatt-hour drawn). */
    CARBON_INTENSITY("gCO2e/kWh"),
    /** Grid electricity price in USD/MWh; negative values are real and must be kept. */
    PRICE("USD/MWh"),
    /** Electric power from on-site generation (PV, wind) in kW, mean over each step. */
    GENERATION("kW"),
    /** Heat the site's heat sink (for example a greenhouse) wants, in kW_th, mean over each step. */
    HEAT_DEMAND("kW_th");

    private final String unit;

    SignalKind(String unit) {
        this.unit = unit;
    }

    /** The unit every series of this kind is expressed in, for example {@code gCO2e/kWh}. */
    public String unit() {
        return unit;
    }
}
