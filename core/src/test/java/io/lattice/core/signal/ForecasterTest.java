package io.lattice.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ForecasterTest {

    private static final Instant T0 = Instant.parse("2023-03-01T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** Day d, hour h → 100·d + h: each day repeats the hour-of-day shape, shifted up by 100. */
    private static TimeSeries rising(int days) {
        double[] v = new double[24 * days];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 * (i / 24) + (i % 24);
        }
        return TimeSeries.hourly(T0, v, "gCO2e/kWh");
    }

    @Test
    void seasonalPersistence_repeatsTheSameHourOfTheLastDay() {
        TimeSeries history = rising(3).slice(0, 3 * 24 - 5); // ends at day 2, 19:00
        TimeSeries f = Forecaster.seasonalPersistence().forecast(history, 30);
        assertThat(f.start()).isEqualTo(history.end());
        assertThat(f.unit()).isEqualTo("gCO2e/kWh");
        assertThat(f.size()).isEqualTo(30);
        // day 2, 19:00 ← day 1, 19:00; day 3, 00:00 ← day 2, 00:00 (the last observed midnight)
        assertThat(f.get(0)).isEqualTo(119);
        assertThat(f.get(5)).isEqualTo(200);
        // beyond 24 h it keeps repeating the last observed day
        assertThat(f.get(24)).isEqualTo(f.get(0));
        assertThat(f.get(29)).isEqualTo(f.get(5));
    }

    @Test
    void seasonalPersistence_isExactOnAPerfectlyDailySeries() {
        double[] v = new double[24 * 10];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(2 * Math.PI * (i % 24) / 24.0) * 50 + 200;
        }
        TimeSeries s = TimeSeries.hourly(T0, v, "USD/MWh");
        ForecastError e = ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(3), s, DAY, Duration.ofDays(3), HOUR);
        assertThat(e.mae()).isCloseTo(0, within(1e-9));
        assertThat(e.smapePercent()).isCloseTo(0, within(1e-9));
    }

    @Test
    void seasonalPersistenceOverDays_averagesTheSameHour() {
        TimeSeries history = rising(4);
        TimeSeries f = Forecaster.seasonalPersistence(3).forecast(history, 2);
        // hour 0 of day 4 ← mean of hour 0 on days 1, 2, 3 = (100 + 200 + 300) / 3
        assertThat(f.get(0)).isEqualTo(200);
        assertThat(f.get(1)).isEqualTo(201);
        assertThat(Forecaster.seasonalPersistence(3).name()).isEqualTo("seasonal-persistence-mean-3d");
        assertThat(Forecaster.seasonalPersistence().name()).isEqualTo("seasonal-persistence-1d");
    }

    @Test
    void forecasters_refuseTooShortHistoryOrAStepThatDoesNotDivideADay() {
        assertThatThrownBy(() -> Forecaster.seasonalPersistence(2).forecast(rising(2).slice(0, 47), 1))
                .hasMessage("seasonal-persistence-mean-2d needs at least 48 steps (2 day(s)) of history but got 47");
        assertThatThrownBy(() -> Forecaster.flatMeanOfLastDay().forecast(rising(1).slice(0, 10), 1))
                .hasMessageContaining("needs at least 24 steps");
        TimeSeries sevenHourly = TimeSeries.of(T0, Duration.ofHours(7), new double[10], "kW");
        assertThatThrownBy(() -> Forecaster.seasonalPersistence().forecast(sevenHourly, 1))
                .hasMessageContaining("step that divides one day, not PT7H");
        assertThatThrownBy(() -> Forecaster.seasonalPersistence(0)).hasMessageContaining("days must be within [1, 366]");
    }

    @Test
    void flatMean_isYesterdaysMeanEverywhere() {
        TimeSeries f = Forecaster.flatMeanOfLastDay().forecast(rising(2), 3);
        assertThat(f.values()).containsExactly(111.5, 111.5, 111.5); // 100 + mean(0..23)
        assertThat(f.start()).isEqualTo(T0.plus(Duration.ofDays(2)));
    }

    @Test
    void seasonalPersistence_worksOnQuarterHourSteps() {
        double[] v = new double[96 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 96;
        }
        TimeSeries s = TimeSeries.of(T0, Duration.ofMinutes(15), v, "kW");
        assertThat(Forecaster.seasonalPersistence().forecast(s, 3).values()).containsExactly(0, 1, 2);
    }

    // ---- evaluation ----

    @Test
    void evaluate_handCheckedOnATinySeries() {
        // two days of 1s, then a day of 3s: persistence predicts 1s for the third day
        double[] v = new double[72];
        java.util.Arrays.fill(v, 0, 48, 1);
        java.util.Arrays.fill(v, 48, 72, 3);
        TimeSeries s = TimeSeries.hourly(T0, v, "USD/MWh");
        ForecastError e = ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(), s, DAY, Duration.ofDays(2), DAY);
        assertThat(e.forecasts()).isEqualTo(1);
        assertThat(e.points()).isEqualTo(24);
        assertThat(e.mae()).isEqualTo(2);
        assertThat(e.rmse()).isEqualTo(2);
        assertThat(e.bias()).isEqualTo(-2);                      // forecasts ran low
        assertThat(e.smapePercent()).isCloseTo(100, within(1e-9)); // 2·2 / (3 + 1)
        assertThat(e.unit()).isEqualTo("USD/MWh");
        assertThat(e.forecaster()).isEqualTo("seasonal-persistence-1d");
    }

    @Test
    void evaluate_scoresEveryForecasterOnTheSamePoints() {
        TimeSeries s = rising(10);
        ForecastError a = ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(), s, DAY, Duration.ofDays(3), HOUR);
        ForecastError b = ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(3), s, DAY, Duration.ofDays(3), HOUR);
        assertThat(a.points()).isEqualTo(b.points()).isEqualTo((10L * 24 - 3 * 24 - 24 + 1) * 24);
        // on a series rising 100 per day, one day back is 100 off and the 3-day mean 200 off
        assertThat(a.mae()).isCloseTo(100, within(1e-9));
        assertThat(b.mae()).isCloseTo(200, within(1e-9));
        assertThat(Double.isFinite(a.smapePercent())).isTrue();
    }

    @Test
    void evaluate_rejectsArgumentsThatDoNotFit() {
        TimeSeries s = rising(3);
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(2), s, DAY, DAY, HOUR))
                .hasMessageContaining("warmUp PT24H is shorter than the PT48H of history");
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(), s, Duration.ofMinutes(90),
                DAY, HOUR)).hasMessageContaining("horizon PT1H30M is not a whole number of PT1H steps");
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(Forecaster.seasonalPersistence(), s, Duration.ofDays(3),
                DAY, HOUR)).hasMessageContaining("has no room");
    }

    @Test
    void evaluate_catchesAForecasterThatBreaksItsContract() {
        Forecaster wrongStart = new Forecaster() {
            @Override
            public String name() {
                return "wrong-start";
            }

            @Override
            public Duration minimumHistory() {
                return DAY;
            }

            @Override
            public TimeSeries forecast(TimeSeries history, int horizon) {
                return TimeSeries.hourly(history.start(), new double[horizon], history.unit());
            }
        };
        assertThatThrownBy(() -> ForecastEvaluation.evaluate(wrongStart, rising(3), HOUR, DAY, HOUR))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wrong-start broke its contract");
    }
}
