package io.lattice.gateway.signal;

import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.SignalSource;

/**
 * A {@link SignalSource} fed by a provider's HTTP API, with a health report and a lifecycle.
 *
 * <p>Reads follow the {@link SignalSource} contract: they never block on the network, and their
 * {@link io.lattice.core.signal.SignalReading#provenance() provenance} says whether the value is
 * {@link io.lattice.core.signal.Provenance#LIVE LIVE}, a {@link io.lattice.core.signal.Provenance#LAST_GOOD
 * LAST_GOOD} fallback or the provider's {@link io.lattice.core.signal.Provenance#FORECAST FORECAST}. Until
 * the first successful poll a source knows nothing and reads are empty; call {@link #refresh()} at start-up
 * to avoid that window.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public interface LiveSignalSource extends SignalSource, AutoCloseable {

    /** A short name for logs and dashboards, for example {@code electricity-maps DE}; never holds a secret. */
    String name();

    /**
     * Which emission figure the source reports, so a mesh can refuse to mix bases across sites:
     * Electricity Maps is {@link CarbonBasis#LIFECYCLE} unless configured otherwise; the UK Carbon Intensity
     * API is always {@link CarbonBasis#DIRECT}.
     */
    CarbonBasis basis();

    /** What telemetry and the dashboard show: last success, last error, consecutive failures, provenance now. */
    SourceHealth health();

    /**
     * Polls the provider now and waits for the answer (at most the request timeout per request). A failure
     * is recorded in {@link #health()}, never thrown: the source keeps its last good data.
     *
     * @throws IllegalStateException when the source is closed
     */
    void refresh();

    /** Stops background polls started by reads and releases the HTTP client the source owns. */
    @Override
    void close();
}
