package io.lattice.core.signal;

import java.time.Duration;
import java.util.Objects;

/**
 * Scores a {@link Forecaster} on a recorded series by rolling-origin evaluation.
 *
 * <p>Design note. Forecasts are issued at origins {@code warmUp, warmUp + every, ...} (measured
 * from the start of the series); each sees only the values before its origin and predicts
 * {@code horizon} ahead, and every predicted value is compared with what happened. Origins whose
 * horizon runs past the end of the series are skipped, so every forecaster scored with the same
 * arguments is scored on exactly the same points (Tashman, "Out-of-sample tests of forecasting
 * accuracy", International Journal of Forecasting 16, 2000). Costs one pass of the forecaster per
 * origin; histories are views, not copies.
 *
 * <p>Stateless and thread-safe.
 */
public final class ForecastEvaluation {

    private ForecastEvaluation() {
    }

    /**
     * @param forecaster what to score
     * @param actual     the recorded series
     * @param horizon    how far each forecast reaches; a whole number of steps, > 0
     * @param warmUp     history before the first origin; a whole number of steps and at least
     *                   {@link Forecaster#minimumHistory()}
     * @param every      time between origins; a whole number of steps, > 0
     * @throws IllegalArgumentException when a duration is not a whole positive number of steps,
     *                                  the warm-up is shorter than the forecaster needs, or no
     *                                  origin fits in the series
     */
    public static ForecastError evaluate(Forecaster forecaster, TimeSeries actual, Duration horizon, Duration warmUp,
                                         Duration every) {
        Objects.requireNonNull(forecaster, "forecaster");
        Objects.requireNonNull(actual, "actual");
        int h = steps("horizon", horizon, actual.step());
        int w = steps("warmUp", warmUp, actual.step());
        int e = steps("every", every, actual.step());
        if (warmUp.compareTo(forecaster.minimumHistory()) < 0) {
            throw new IllegalArgumentException("warmUp " + warmUp + " is shorter than the " + forecaster.minimumHistory()
                    + " of history " + forecaster.name() + " needs");
        }
        if (w + h > actual.size()) {
            throw new IllegalArgumentException("a series of " + actual.size() + " steps has no room for a warm-up of "
                    + w + " and a horizon of " + h + " steps");
        }
        int forecasts = 0;
        long points = 0;
        double absSum = 0;
        double sqSum = 0;
        double pctSum = 0;
        double errSum = 0;
        for (int origin = w; origin + h <= actual.size(); origin += e) {
            TimeSeries f = forecaster.forecast(actual.slice(0, origin), h);
            if (f.size() != h || !f.start().equals(actual.timeAt(origin))) {
                throw new IllegalStateException(forecaster.name() + " broke its contract: asked for " + h
                        + " steps from " + actual.timeAt(origin) + " but returned " + f);
            }
            for (int i = 0; i < h; i++) {
                double a = actual.get(origin + i);
                double err = f.get(i) - a;
                double abs = Math.abs(err);
                absSum += abs;
                sqSum += err * err;
                errSum += err;
                double denom = Math.abs(a) + Math.abs(f.get(i));
                pctSum += denom == 0 ? 0 : 2 * abs / denom;
            }
            forecasts++;
            points += h;
        }
        return new ForecastError(forecaster.name(), actual.unit(), forecasts, points, absSum / points,
                Math.sqrt(sqSum / points), 100 * pctSum / points, errSum / points);
    }

    private static int steps(String name, Duration d, Duration step) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + d);
        }
        long dn = d.toNanos();
        long sn = step.toNanos();
        if (dn % sn != 0) {
            throw new IllegalArgumentException(name + " " + d + " is not a whole number of " + step + " steps");
        }
        return Math.toIntExact(dn / sn);
    }
}
