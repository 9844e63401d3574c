package io.lattice.core.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link SignalSource} {@link StaticSignals} builds; see there for its behaviour. Immutable. */
final class StaticSignalSource implements SignalSource {

    record Entry(TimeSeries series, Provenance provenance) {
    }

    private final Map<SignalKind, Entry> entries;
    private final Forecaster forecaster;
    private final FallbackRule fallback;
    private final Duration forecastLimit;
    private final boolean repeating;

    StaticSignalSource(EnumMap<SignalKind, Entry> entries, Forecaster forecaster, FallbackRule fallback,
                       Duration forecastLimit, boolean repeating) {
        this.entries = Collections.unmodifiableMap(new EnumMap<>(entries));
        this.forecaster = forecaster;
        this.fallback = fallback;
        this.forecastLimit = forecastLimit;
        this.repeating = repeating;
    }

    /** The number of steps of history the forecaster needs for {@code series}; checks it is there. */
    static int historySteps(SignalKind kind, TimeSeries series, Forecaster forecaster) {
        long need = forecaster.minimumHistory().toNanos();
        long step = series.step().toNanos();
        if (need % step != 0) {
            throw new IllegalArgumentException(kind + ": the step " + series.step() + " does not divide the "
                    + forecaster.minimumHistory() + " of history " + forecaster.name() + " needs");
        }
        int steps = Math.toIntExact(need / step);
        if (series.size() < steps) {
            throw new IllegalArgumentException(kind + ": " + forecaster.name() + " needs " + steps
                    + " steps of history but the series has " + series.size());
        }
        return steps;
    }

    @Override
    public Set<SignalKind> kinds() {
        return entries.keySet();
    }

    @Override
    public Optional<SignalReading> read(SignalKind kind, Instant at) {
        Entry e = entries.get(kind);
        if (e == null) {
            return Optional.empty();
        }
        TimeSeries s = e.series();
        long index = s.floorIndex(at);
        if (index < 0) {
            return Optional.empty(); // before the data begins: nothing was known then
        }
        if (repeating || index < s.size()) {
            int i = repeating ? (int) Math.floorMod(index, (long) s.size()) : (int) index;
            Instant asOf = s.start().plus(s.step().multipliedBy(index));
            return fallback.resolve(kind, at, new FallbackRule.Observation(s.get(i), asOf, e.provenance()), null);
        }
        // past the end: the feed stopped at the end of the series
        int last = s.size() - 1;
        FallbackRule.Observation lastGood = new FallbackRule.Observation(s.get(last), s.timeAt(last), e.provenance());
        Optional<SignalReading> reading = fallback.resolve(kind, at, lastGood, null);
        if (reading.isPresent() || !at.isBefore(s.end().plus(forecastLimit))) {
            return reading;
        }
        TimeSeries forecast = forecaster.forecast(s, (int) (index - s.size()) + 1);
        return fallback.resolve(kind, at, lastGood, forecast);
    }

    @Override
    public Optional<TimeSeries> forecast(SignalKind kind, Instant from, int hours) {
        if (hours < 0) {
            throw new IllegalArgumentException("hours must be >= 0 but was " + hours);
        }
        Entry e = entries.get(kind);
        if (e == null) {
            return Optional.empty();
        }
        TimeSeries s = e.series();
        long index = s.floorIndex(from);
        int need = historySteps(kind, s, forecaster);
        if (index < 0 || (!repeating && index < need)) {
            return Optional.empty(); // not enough was known at `from` to forecast
        }
        Instant hourStart = s.start().plus(s.step().multipliedBy(index));
        TimeSeries forecast;
        if (repeating) {
            double[] history = new double[need];
            for (int j = 0; j < need; j++) {
                history[j] = s.get((int) Math.floorMod(index - need + j, (long) s.size()));
            }
            Instant historyStart = hourStart.minus(s.step().multipliedBy(need));
            forecast = forecaster.forecast(TimeSeries.of(historyStart, s.step(), history, s.unit()), hours);
        } else if (index <= s.size()) {
            forecast = forecaster.forecast(s.slice(0, (int) index), hours);
        } else if (hourStart.isBefore(s.end().plus(forecastLimit))) {
            int skip = (int) (index - s.size());
            forecast = forecaster.forecast(s, skip + hours).slice(skip, skip + hours);
        } else {
            return Optional.empty();
        }
        return Optional.of(forecast);
    }

    @Override
    public String toString() {
        return "StaticSignalSource" + entries.keySet() + (repeating ? " repeating" : "") + ", " + forecaster.name();
    }
}
