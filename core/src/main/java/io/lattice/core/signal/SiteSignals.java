package io.lattice.core.signal;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The signals of one site at one instant, as a placement decision sees them. A kind with no reading
 * is unknown (the site has no such signal, or its source has nothing usable), which is not the same
 * as zero.
 *
 * @param at       the instant the readings are for
 * @param readings one reading per kind that has one; each reading's kind is its key
 */
public record SiteSignals(Instant at, Map<SignalKind, SignalReading> readings) {
    public SiteSignals {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(readings, "readings");
        EnumMap<SignalKind, SignalReading> copy = new EnumMap<>(SignalKind.class);
        readings.forEach((kind, reading) -> {
            if (reading.kind() != kind) {
                throw new IllegalArgumentException("reading of " + reading.kind() + " filed under " + kind);
            }
            copy.put(kind, reading);
        });
        readings = Collections.unmodifiableMap(copy);
    }

    /** The reading of {@code kind}, if known. */
    public Optional<SignalReading> get(SignalKind kind) {
        return Optional.ofNullable(readings.get(kind));
    }

    /** The value of {@code kind} in {@code kind.unit()}, if known. */
    public OptionalDouble value(SignalKind kind) {
        SignalReading r = readings.get(kind);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.value());
    }

    /** True when any reading is a fallback (last good value or forecast). */
    public boolean anyFallback() {
        return readings.values().stream().anyMatch(SignalReading::isFallback);
    }
}
