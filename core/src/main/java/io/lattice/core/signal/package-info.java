/**
 * Site signals: hourly time series of grid carbon intensity (gCO2e/kWh), price (USD/MWh), on-site
 * generation (kW) and heat demand (kW_th), where they come from, and how they are forecast.
 *
 * <p>Map of the package:
 * <ul>
 *   <li>{@link io.lattice.core.signal.TimeSeries} — immutable regular series with a unit;
 *       {@link io.lattice.core.signal.SignalKind} fixes the unit of each signal.</li>
 *   <li>Parsers of real data, which take a {@link java.io.Reader} or text (this module does no I/O;
 *       the caller opens the file): {@link io.lattice.core.signal.GridCsv} (Electricity Maps-style
 *       carbon CSV, hourly price CSV) and {@link io.lattice.core.signal.Weather} (Open-Meteo JSON, read
 *       by a small strict JSON reader of our own). Bad input raises
 *       {@link io.lattice.core.signal.SignalFormatException} with line and column.</li>
 *   <li>Physical models with their parameters as records for the site config:
 *       {@link io.lattice.core.signal.GreenhouseHeat} (degree-hour heat demand from outside
 *       temperature) and {@link io.lattice.core.signal.PvArray} (PV output from solar position and
 *       cloud cover, Haurwitz clear sky × Kasten–Czeplak).</li>
 *   <li>Generated profiles for running without files: {@link io.lattice.core.signal.DiurnalShape}
 *       (price and carbon) and {@link io.lattice.core.signal.PvArray#output(java.time.Instant, int,
 *       GeoPoint, double)} (PV).</li>
 *   <li>Forecasts: {@link io.lattice.core.signal.Forecaster} with seasonal persistence as the honest
 *       baseline, scored by {@link io.lattice.core.signal.ForecastEvaluation}.</li>
 *   <li>Sources: {@link io.lattice.core.signal.SignalSource} with the staleness and fallback contract
 *       of {@link io.lattice.core.signal.FallbackRule} (current value, then last good value, then
 *       forecast, with the {@link io.lattice.core.signal.Provenance} saying which), and
 *       {@link io.lattice.core.signal.StaticSignals} for files and generated profiles. Live HTTP
 *       sources belong in an edge module.</li>
 * </ul>
 *
 * <p>Everything here is pure: no files, sockets, threads, clocks or static mutable state. Time is
 * always passed in as an {@link java.time.Instant}; all series are on UTC instants.
 */
package io.lattice.core.signal;

import io.lattice.core.GeoPoint;
