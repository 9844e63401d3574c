package io.lattice.core.signal;

/**
 * Where a {@link SignalReading}'s value came from, so telemetry, explanations and the ledger can say
 * whether a decision rested on a current figure or on a fallback.
 */
public enum Provenance {
    /** A current value from a live source (an API polled recently). */
    LIVE,
    /** The value of a recorded series (a data file) for the hour asked about. */
    RECORDED,
    /** The value of a generated profile for the hour asked about. */
    GENERATED,
    /** Fallback: no current value; the last good value, older than a current one may be. */
    LAST_GOOD,
    /** Fallback: no current or recent value; the forecast for the hour asked about. */
    FORECAST;

    /** True for {@link #LAST_GOOD} and {@link #FORECAST}: the source could not give a current value. */
    public boolean isFallback() {
        return this == LAST_GOOD || this == FORECAST;
    }
}
