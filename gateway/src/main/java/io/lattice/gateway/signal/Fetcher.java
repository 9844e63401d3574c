package io.lattice.gateway.signal;

import io.lattice.core.signal.FallbackRule;
import io.lattice.core.signal.TimeSeries;
import java.time.Instant;

/** One provider's two calls. Implementations are stateless apart from their configuration, and thread-safe. */
interface Fetcher {

    /** For logs and health; never holds a secret. */
    String name();

    /** The provider's latest carbon intensity, in gCO2e/kWh, as a {@code LIVE} observation. */
    FallbackRule.Observation latest() throws FetchException;

    /**
     * The provider's forecast issued now, in gCO2e/kWh, on the provider's own step (hourly, half-hourly).
     *
     * @param now the poll's instant, for providers whose forecast URL names its start
     */
    TimeSeries forecast(Instant now) throws FetchException;
}
