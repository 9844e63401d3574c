/**
 * Live grid signal sources: the Electricity Maps API (v3, with a key) and the UK Carbon Intensity API
 * (NESO, no key), as {@link io.lattice.core.signal.SignalSource}s over the JDK {@link java.net.http.HttpClient}.
 *
 * <p>Public surface: {@link io.lattice.gateway.signal.LiveSignals} (builders),
 * {@link io.lattice.gateway.signal.LiveSignalSource} (a source with a health report and a lifecycle) and
 * {@link io.lattice.gateway.signal.SourceHealth} (what telemetry and the dashboard show). Everything else is
 * package-private.
 *
 * <p>Polling model, chosen so that {@code read} never blocks the request path and tests never sleep: a
 * read that finds the held data due for a refresh (older than the refresh interval, or older than the retry
 * gap after a failed attempt, both measured on the injected {@link java.time.Clock}) starts one poll on the
 * source's executor and answers at once from what it holds. No background thread runs while nobody reads;
 * {@link io.lattice.gateway.signal.LiveSignalSource#refresh()} polls synchronously (at start-up, in tests).
 * Staleness and fallback are decided by {@link io.lattice.core.signal.FallbackRule#resolve}, exactly as for
 * recorded and generated sources: current value, then last good value, then the provider's forecast.
 *
 * <p>Secrets: an API key is sent only in its request header. It is never logged and never put into an
 * exception or error message (any echo of it in a response body is masked before the text is kept).
 */
package io.lattice.gateway.signal;
