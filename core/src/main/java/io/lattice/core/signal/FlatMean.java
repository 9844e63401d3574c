package io.lattice.core.signal;

import java.time.Duration;
import java.util.Arrays;

/**
 * The trivial baseline: tomorrow looks like yesterday's average, flat. A forecaster that cannot
 * beat it has learnt nothing about the daily shape.
 *
 * <p>Immutable and thread-safe.
 */
final class FlatMean implements Forecaster {

    @Override
    public String name() {
        return "flat-mean-of-last-day";
    }

    @Override
    public Duration minimumHistory() {
        return Duration.ofDays(1);
    }

    @Override
    public TimeSeries forecast(TimeSeries history, int horizon) {
        int p = SeasonalPersistence.stepsPerDay(history.step());
        if (history.size() < p) {
            throw new IllegalArgumentException(name() + " needs at least " + p + " steps (one day) of history but got "
                    + history.size());
        }
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon must be >= 0 but was " + horizon);
        }
        double[] out = new double[horizon];
        Arrays.fill(out, history.last(p).mean().orElseThrow());
        return TimeSeries.of(history.end(), history.step(), out, history.unit());
    }

    @Override
    public String toString() {
        return name();
    }
}
