package io.lattice.core.signal;

import java.time.Duration;

/**
 * Predicts the next steps of a signal from its history.
 *
 * <p>Contract: {@link #forecast} sees only the history it is given, so no implementation can peek
 * at the future, and the same forecaster can be scored honestly on recorded data
 * ({@link ForecastEvaluation}). Implementations are pure functions of their arguments, immutable,
 * and safe to call from many threads.
 */
public interface Forecaster {

    /** A short stable name for logs and reports, for example {@code seasonal-persistence-1d}. */
    String name();

    /** How much history {@link #forecast} needs at least. */
    Duration minimumHistory();

    /**
     * The {@code horizon} values that follow {@code history}: a series starting at
     * {@code history.end()} with the same step and unit.
     *
     * @param history the values observed so far, oldest first; at least {@link #minimumHistory()}
     * @param horizon the number of steps to predict, >= 0
     * @throws IllegalArgumentException when the history is too short or its step does not suit the
     *                                  forecaster (the message says which)
     */
    TimeSeries forecast(TimeSeries history, int horizon);

    /**
     * Seasonal persistence with a one-day season: the value at {@code t + h} is the value at the
     * same time on the last observed day (the "seasonal naïve" method).
     */
    static Forecaster seasonalPersistence() {
        return new SeasonalPersistence(1);
    }

    /**
     * Seasonal persistence averaged over days: the value at {@code t + h} is the mean of the values
     * at the same time of day on each of the last {@code days} observed days.
     *
     * @param days how many days to average, 1 to 366
     */
    static Forecaster seasonalPersistence(int days) {
        return new SeasonalPersistence(days);
    }

    /**
     * The trivial baseline a forecaster has to beat: every future value is the mean of the last
     * 24 hours of history.
     */
    static Forecaster flatMeanOfLastDay() {
        return new FlatMean();
    }
}
