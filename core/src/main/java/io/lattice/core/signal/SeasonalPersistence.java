package io.lattice.core.signal;

import java.time.Duration;

/**
 * Seasonal persistence ("seasonal naïve") with a daily season, optionally averaged over days.
 *
 * <p>Design note. Grid carbon intensity and prices repeat a daily pattern (demand, solar), so the
 * honest first forecast of an hour is that hour's value on the last observed day; averaging the
 * same hour over the last {@code k} days trades reaction to a change in weather for less noise.
 * For a target {@code i} steps after the end of history (period {@code p} steps per day), the
 * forecast is the mean over {@code d = 0..k-1} of {@code x[n + i − (m + d)·p]} with
 * {@code m = ⌈(i+1)/p⌉}: the nearest whole-day lag that lands in the history, so horizons longer
 * than a day repeat the last day instead of failing. This is the benchmark every better model must
 * beat (Hyndman and Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §5.2; in
 * electricity price forecasting the weekly-aware variant of Lago et al., "Forecasting day-ahead
 * electricity prices: a review", Applied Energy 293, 2021, is a natural next step, since weekends
 * differ).
 *
 * <p>Immutable and thread-safe.
 */
final class SeasonalPersistence implements Forecaster {

    private static final Duration DAY = Duration.ofDays(1);

    private final int days;

    SeasonalPersistence(int days) {
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("days must be within [1, 366] but was " + days);
        }
        this.days = days;
    }

    @Override
    public String name() {
        return days == 1 ? "seasonal-persistence-1d" : "seasonal-persistence-mean-" + days + "d";
    }

    @Override
    public Duration minimumHistory() {
        return DAY.multipliedBy(days);
    }

    @Override
    public TimeSeries forecast(TimeSeries history, int horizon) {
        int p = stepsPerDay(history.step());
        int n = history.size();
        if (n < p * days) {
            throw new IllegalArgumentException(name() + " needs at least " + (p * days) + " steps (" + days
                    + " day(s)) of history but got " + n);
        }
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon must be >= 0 but was " + horizon);
        }
        double[] out = new double[horizon];
        for (int i = 0; i < horizon; i++) {
            int m = (i + p) / p; // ceil((i + 1) / p)
            double sum = 0;
            for (int d = 0; d < days; d++) {
                sum += history.get(n + i - (m + d) * p);
            }
            out[i] = sum / days;
        }
        return TimeSeries.of(history.end(), history.step(), out, history.unit());
    }

    /** Steps per day; the step must divide a day exactly. */
    static int stepsPerDay(Duration step) {
        long dayNanos = DAY.toNanos();
        long stepNanos = step.toNanos();
        if (dayNanos % stepNanos != 0) {
            throw new IllegalArgumentException("a daily forecaster needs a step that divides one day, not " + step);
        }
        return Math.toIntExact(dayNanos / stepNanos);
    }

    @Override
    public String toString() {
        return name();
    }
}
