package io.lattice.core.signal;

import java.util.Objects;

/**
 * How far a forecaster was off over a recorded series, all in the series' unit except sMAPE.
 *
 * @param forecaster   the forecaster's {@link Forecaster#name()}
 * @param unit         the unit of {@code mae}, {@code rmse} and {@code bias}, for example {@code USD/MWh}
 * @param forecasts    how many forecasts were issued (rolling origins)
 * @param points       how many forecast values were compared with what happened
 * @param mae          mean absolute error
 * @param rmse         root mean squared error (punishes the big misses that decide a placement)
 * @param smapePercent symmetric mean absolute percentage error, 0–200 %: mean of
 *                     {@code 2·|F−A| / (|A|+|F|)} (0 when both are 0). Used instead of MAPE because
 *                     prices reach zero and go negative, where MAPE is undefined or explodes
 * @param bias         mean of forecast minus actual: positive means forecasts ran high
 */
public record ForecastError(String forecaster, String unit, int forecasts, long points, double mae, double rmse,
                            double smapePercent, double bias) {
    public ForecastError {
        Objects.requireNonNull(forecaster, "forecaster");
        Objects.requireNonNull(unit, "unit");
    }
}
