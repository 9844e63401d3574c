package io.lattice.core.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One value of a site signal as used for a decision, with where it came from.
 *
 * @param kind       what the value measures; its unit is {@code kind.unit()}
 * @param value      the value in {@code kind.unit()} (gCO2e/kWh, USD/MWh, kW or kW_th)
 * @param asOf       the instant the value describes: the start of its hour for hourly data, the
 *                   observation time for a live reading, the forecast hour for a forecast
 * @param at         the instant the reading was asked for
 * @param provenance where the value came from; {@link Provenance#isFallback()} says whether it
 *                   was a fallback
 */
public record SignalReading(SignalKind kind, double value, Instant asOf, Instant at, Provenance provenance) {
    public SignalReading {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(provenance, "provenance");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(kind + " reading must be finite but was " + value);
        }
    }

    /** The unit of {@link #value()}, for example {@code gCO2e/kWh}. */
    public String unit() {
        return kind.unit();
    }

    /** How old the value was when asked for: {@code at − asOf} (negative for a forecast of a later instant). */
    public Duration age() {
        return Duration.between(asOf, at);
    }

    /** True when the value is a fallback (last good value or forecast), not a current one. */
    public boolean isFallback() {
        return provenance.isFallback();
    }
}
