package io.lattice.core.signal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The signals of one site — carbon intensity, price, on-site generation, heat demand — now and
 * forecast.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li><b>Staleness and fallback.</b> {@link #read} follows {@link FallbackRule}: a current value
 *       if there is one; else the last good value while it is young enough
 *       ({@link Provenance#LAST_GOOD}); else the forecast for that hour
 *       ({@link Provenance#FORECAST}); else empty. The reading's {@link SignalReading#provenance()}
 *       always says which was used, so a failing live source shows up in telemetry instead of
 *       silently steering placement with old numbers.</li>
 *   <li><b>No future.</b> A reading or forecast for instant {@code t} uses only what was known at
 *       {@code t}; the simulator relies on it to replay recorded data honestly.</li>
 *   <li><b>Units.</b> Values are in {@link SignalKind#unit()}.</li>
 *   <li><b>No blocking I/O in these calls.</b> Live implementations (Electricity Maps, UK Carbon
 *       Intensity; written in an edge module) poll in the background and answer from what they
 *       hold, because placement calls {@code read} on the request path.</li>
 *   <li><b>Thread-safety.</b> Implementations are safe to call from many threads.</li>
 * </ul>
 */
public interface SignalSource {

    /** The kinds this source provides; {@link #read} and {@link #forecast} of any other kind are empty. */
    Set<SignalKind> kinds();

    /**
     * The value of {@code kind} for instant {@code at}, following the fallback contract above.
     *
     * @return the reading, or empty when the kind is not provided or nothing usable covers {@code at}
     */
    Optional<SignalReading> read(SignalKind kind, Instant at);

    /**
     * The forecast of {@code kind} for {@code hours} hours from the start of the hour containing
     * {@code from}, made only from what was known at {@code from}.
     *
     * @param hours number of hourly values, >= 0
     * @return an hourly series in {@code kind.unit()}, or empty when the kind is not provided or no
     *         forecast can be made (for example too little history)
     */
    Optional<TimeSeries> forecast(SignalKind kind, Instant from, int hours);

    /** Every kind's reading at {@code at}: the site's conditions for one placement decision. */
    default SiteSignals conditions(Instant at) {
        Map<SignalKind, SignalReading> readings = new EnumMap<>(SignalKind.class);
        for (SignalKind kind : kinds()) {
            read(kind, at).ifPresent(r -> readings.put(kind, r));
        }
        return new SiteSignals(at, readings);
    }
}
