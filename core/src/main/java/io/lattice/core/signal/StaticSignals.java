package io.lattice.core.signal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Objects;

/**
 * Builds a {@link SignalSource} from fixed series — recorded files or generated profiles — for the
 * demo, tests and the simulator.
 *
 * <p>The source answers an instant inside a series with that hour's value
 * ({@link Provenance#RECORDED} or {@link Provenance#GENERATED}). Past the end of a series it
 * behaves like a live source whose feed stopped there: the last value while
 * {@link FallbackRule#lastGoodFor()} allows, then the {@link Forecaster}'s forecast issued at the
 * end of the series, up to {@link Builder#forecastLimit} past it, then nothing. With
 * {@link Builder#repeating} the series instead repeats end to end forever (a recorded year replayed
 * in any year; weekdays then drift by a day a year).
 *
 * <p>Forecasts ({@link SignalSource#forecast}) are the forecaster's, made from the values before
 * the hour asked about — never the recorded future, so a replay is honest. A caller that wants
 * perfect foresight (a lower bound in the simulator) slices the series itself.
 *
 * <p>The built source is immutable and thread-safe; the builder is not thread-safe.
 */
public final class StaticSignals {

    private static final Duration HOUR = Duration.ofHours(1);

    private StaticSignals() {
    }

    /** A builder with no series, seasonal persistence, {@link FallbackRule#HOURLY} and a 48 h forecast limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the series of one site. */
    public static final class Builder {
        private final EnumMap<SignalKind, StaticSignalSource.Entry> entries = new EnumMap<>(SignalKind.class);
        private Forecaster forecaster = Forecaster.seasonalPersistence();
        private FallbackRule fallback = FallbackRule.HOURLY;
        private Duration forecastLimit = Duration.ofHours(48);
        private boolean repeating;

        private Builder() {
        }

        /** Adds an hourly series read from a data file; its unit must be {@code kind.unit()}. */
        public Builder recorded(SignalKind kind, TimeSeries series) {
            return put(kind, series, Provenance.RECORDED);
        }

        /** Adds an hourly generated profile; its unit must be {@code kind.unit()}. */
        public Builder generated(SignalKind kind, TimeSeries series) {
            return put(kind, series, Provenance.GENERATED);
        }

        private Builder put(SignalKind kind, TimeSeries series, Provenance provenance) {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(series, "series");
            if (!series.unit().equals(kind.unit())) {
                throw new IllegalArgumentException(kind + " must be in " + kind.unit() + " but the series is in "
                        + series.unit());
            }
            if (!series.step().equals(HOUR)) {
                throw new IllegalArgumentException(kind + " series must be hourly but its step is " + series.step());
            }
            if (series.isEmpty()) {
                throw new IllegalArgumentException(kind + " series is empty");
            }
            if (entries.containsKey(kind)) {
                throw new IllegalArgumentException(kind + " was already added");
            }
            entries.put(kind, new StaticSignalSource.Entry(series, provenance));
            return this;
        }

        /** The forecaster for forecasts and the last fallback; default {@link Forecaster#seasonalPersistence()}. */
        public Builder forecaster(Forecaster forecaster) {
            this.forecaster = Objects.requireNonNull(forecaster, "forecaster");
            return this;
        }

        /** When values go stale; default {@link FallbackRule#HOURLY}. */
        public Builder fallback(FallbackRule fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /** How far past the end of a series a forecast may be used; default 48 h, >= 0. */
        public Builder forecastLimit(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative()) {
                throw new IllegalArgumentException("forecastLimit must be >= 0 but was " + limit);
            }
            this.forecastLimit = limit;
            return this;
        }

        /** Whether each series repeats end to end forever instead of going stale; default false. */
        public Builder repeating(boolean repeating) {
            this.repeating = repeating;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a series is shorter than the forecaster's minimum
         *                                  history or its step does not divide it
         */
        public SignalSource build() {
            entries.forEach((kind, e) -> StaticSignalSource.historySteps(kind, e.series(), forecaster));
            return new StaticSignalSource(entries, forecaster, fallback, forecastLimit, repeating);
        }
    }
}
