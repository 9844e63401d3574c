package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalSourceTest {

    private static final Instant T0 = Instant.parse("2023-05-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    /** Three days of carbon: day d, hour h → 100·(d+1) + h. */
    private static TimeSeries threeDays() {
        double[] v = new double[72];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 * (i / 24 + 1) + i % 24;
        }
        return TimeSeries.hourly(T0, v, "gCO2e/kWh");
    }

    // ---- the fallback rule on its own ----

    @Test
    void fallbackRule_currentThenLastGoodThenForecastThenNothing() {
        FallbackRule rule = new FallbackRule(HOUR, Duration.ofHours(3));
        var observed = new FallbackRule.Observation(250, T0, Provenance.LIVE);
        TimeSeries forecast = TimeSeries.hourly(T0.plus(HOUR), new double[] {1, 2, 3, 4, 5}, "gCO2e/kWh");

        SignalReading now = rule.resolve(SignalKind.CARBON_INTENSITY, T0.plusSeconds(3599), observed, forecast).orElseThrow();
        assertThat(now.provenance()).isEqualTo(Provenance.LIVE);
        assertThat(now.value()).isEqualTo(250);
        assertThat(now.isFallback()).isFalse();

        SignalReading stale = rule.resolve(SignalKind.CARBON_INTENSITY, T0.plus(HOUR), observed, forecast).orElseThrow();
        assertThat(stale.provenance()).isEqualTo(Provenance.LAST_GOOD);
        assertThat(stale.value()).isEqualTo(250);
        assertThat(stale.age()).isEqualTo(HOUR);
        assertThat(stale.isFallback()).isTrue();

        SignalReading predicted = rule.resolve(SignalKind.CARBON_INTENSITY, T0.plus(Duration.ofMinutes(200)), observed,
                forecast).orElseThrow();
        assertThat(predicted.provenance()).isEqualTo(Provenance.FORECAST);
        assertThat(predicted.value()).isEqualTo(3); // the 03:00 hour of the forecast
        assertThat(predicted.asOf()).isEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(predicted.unit()).isEqualTo("gCO2e/kWh");

        assertThat(rule.resolve(SignalKind.CARBON_INTENSITY, T0.plus(Duration.ofHours(9)), observed, forecast)).isEmpty();
        assertThat(rule.resolve(SignalKind.CARBON_INTENSITY, T0.plus(Duration.ofHours(9)), observed, null)).isEmpty();
        assertThat(rule.resolve(SignalKind.CARBON_INTENSITY, T0, null, null)).isEmpty();
    }

    @Test
    void fallbackRule_neverUsesAnObservationFromTheFuture() {
        var later = new FallbackRule.Observation(250, T0.plus(HOUR), Provenance.RECORDED);
        assertThat(FallbackRule.HOURLY.resolve(SignalKind.PRICE, T0, later, null)).isEmpty();
    }

    @Test
    void fallbackRule_validatesItsParts() {
        assertThatThrownBy(() -> new FallbackRule(Duration.ofHours(2), HOUR))
                .hasMessageContaining("lastGoodFor must be >= currentFor (PT2H) but was PT1H");
        assertThatThrownBy(() -> new FallbackRule(Duration.ZERO, HOUR)).hasMessageContaining("currentFor must be positive");
        assertThatThrownBy(() -> new FallbackRule.Observation(1, T0, Provenance.FORECAST))
                .hasMessageContaining("not FORECAST");
        TimeSeries wrongUnit = TimeSeries.hourly(T0, new double[] {1}, "USD/MWh");
        assertThatThrownBy(() -> FallbackRule.HOURLY.resolve(SignalKind.CARBON_INTENSITY, T0, null, wrongUnit))
                .hasMessageContaining("must be in gCO2e/kWh but is in USD/MWh");
    }

    // ---- the static source ----

    @Test
    void staticSource_insideTheSeriesReadsTheRecordedHour() {
        SignalSource source = StaticSignals.builder().recorded(SignalKind.CARBON_INTENSITY, threeDays()).build();
        SignalReading r = source.read(SignalKind.CARBON_INTENSITY, T0.plus(Duration.ofMinutes(25 * 60 + 30))).orElseThrow();
        assertThat(r.value()).isEqualTo(201);
        assertThat(r.provenance()).isEqualTo(Provenance.RECORDED);
        assertThat(r.asOf()).isEqualTo(T0.plus(Duration.ofHours(25)));
        assertThat(source.kinds()).containsExactly(SignalKind.CARBON_INTENSITY);
        assertThat(source.read(SignalKind.PRICE, T0)).isEmpty();
        assertThat(source.read(SignalKind.CARBON_INTENSITY, T0.minusSeconds(1))).isEmpty();
    }

    @Test
    void staticSource_pastTheEndFallsBackToLastGoodThenForecastThenNothing() {
        TimeSeries s = threeDays();
        SignalSource source = StaticSignals.builder().recorded(SignalKind.CARBON_INTENSITY, s)
                .forecastLimit(Duration.ofHours(30)).build();
        Instant end = s.end(); // 2023-05-04T00:00Z; the last value (323) is for 23:00

        SignalReading lastGood = source.read(SignalKind.CARBON_INTENSITY, end.plus(Duration.ofMinutes(90))).orElseThrow();
        assertThat(lastGood.provenance()).isEqualTo(Provenance.LAST_GOOD);
        assertThat(lastGood.value()).isEqualTo(323);

        // 3 h after the last value's hour began: seasonal persistence repeats the last day's 02:00
        SignalReading forecast = source.read(SignalKind.CARBON_INTENSITY, end.plus(Duration.ofHours(2))).orElseThrow();
        assertThat(forecast.provenance()).isEqualTo(Provenance.FORECAST);
        assertThat(forecast.value()).isEqualTo(302);
        assertThat(forecast.asOf()).isEqualTo(end.plus(Duration.ofHours(2)));

        assertThat(source.read(SignalKind.CARBON_INTENSITY, end.plus(Duration.ofHours(30)))).isEmpty();
    }

    @Test
    void staticSource_forecastUsesOnlyTheHistoryBeforeTheHourAsked() {
        TimeSeries s = threeDays();
        SignalSource source = StaticSignals.builder().recorded(SignalKind.CARBON_INTENSITY, s).build();
        Instant from = T0.plus(Duration.ofHours(50)).plusSeconds(600); // day 2, 02:10

        TimeSeries f = source.forecast(SignalKind.CARBON_INTENSITY, from, 4).orElseThrow();
        assertThat(f.start()).isEqualTo(T0.plus(Duration.ofHours(50)));
        // the recorded future is 302, 303, ...; an honest forecast says yesterday's 202, 203, ...
        assertThat(f.values()).containsExactly(202, 203, 204, 205);
        assertThat(source.forecast(SignalKind.CARBON_INTENSITY, T0.plus(Duration.ofHours(23)), 4)).isEmpty();
        assertThat(source.forecast(SignalKind.PRICE, from, 4)).isEmpty();

        // past the end: issued at the end of the data, then shifted to the hour asked
        TimeSeries beyond = source.forecast(SignalKind.CARBON_INTENSITY, s.end().plus(Duration.ofHours(5)), 2).orElseThrow();
        assertThat(beyond.start()).isEqualTo(s.end().plus(Duration.ofHours(5)));
        assertThat(beyond.values()).containsExactly(305, 306);
        assertThat(source.forecast(SignalKind.CARBON_INTENSITY, s.end().plus(Duration.ofDays(3)), 2)).isEmpty();
    }

    @Test
    void staticSource_repeatingReplaysTheSeriesForeverAndForecastsAcrossTheSeam() {
        TimeSeries s = threeDays();
        SignalSource source = StaticSignals.builder().generated(SignalKind.CARBON_INTENSITY, s).repeating(true).build();
        Instant nextCycle = s.end().plus(Duration.ofHours(26)); // same as hour 26 of the series
        SignalReading r = source.read(SignalKind.CARBON_INTENSITY, nextCycle.plusSeconds(59)).orElseThrow();
        assertThat(r.value()).isEqualTo(202);
        assertThat(r.provenance()).isEqualTo(Provenance.GENERATED);
        assertThat(r.asOf()).isEqualTo(nextCycle);
        // one hour into the second cycle, yesterday is the last day of the first
        TimeSeries f = source.forecast(SignalKind.CARBON_INTENSITY, s.end(), 2).orElseThrow();
        assertThat(f.start()).isEqualTo(s.end());
        assertThat(f.values()).containsExactly(300, 301);
    }

    @Test
    void conditions_collectEveryKindAndFlagFallbacks() {
        TimeSeries carbon = threeDays();
        TimeSeries price = TimeSeries.hourly(T0, new double[48], "USD/MWh"); // ends a day earlier
        SignalSource source = StaticSignals.builder()
                .recorded(SignalKind.CARBON_INTENSITY, carbon)
                .recorded(SignalKind.PRICE, price)
                .build();

        SiteSignals inside = source.conditions(T0.plus(Duration.ofHours(10)));
        assertThat(inside.readings()).containsOnlyKeys(SignalKind.CARBON_INTENSITY, SignalKind.PRICE);
        assertThat(inside.anyFallback()).isFalse();
        assertThat(inside.value(SignalKind.CARBON_INTENSITY)).hasValue(110);
        assertThat(inside.value(SignalKind.HEAT_DEMAND)).isEmpty();

        SiteSignals later = source.conditions(T0.plus(Duration.ofHours(60)));
        assertThat(later.get(SignalKind.CARBON_INTENSITY).orElseThrow().provenance()).isEqualTo(Provenance.RECORDED);
        assertThat(later.get(SignalKind.PRICE).orElseThrow().provenance()).isEqualTo(Provenance.FORECAST);
        assertThat(later.anyFallback()).isTrue();
    }

    @Test
    void builder_rejectsWrongUnitsStepsDuplicatesAndTooLittleHistory() {
        TimeSeries carbon = threeDays();
        assertThatThrownBy(() -> StaticSignals.builder().recorded(SignalKind.PRICE, carbon))
                .hasMessage("PRICE must be in USD/MWh but the series is in gCO2e/kWh");
        assertThatThrownBy(() -> StaticSignals.builder().recorded(SignalKind.CARBON_INTENSITY, carbon)
                .generated(SignalKind.CARBON_INTENSITY, carbon))
                .hasMessage("CARBON_INTENSITY was already added");
        TimeSeries quarter = TimeSeries.of(T0, Duration.ofMinutes(15), new double[200], "kW");
        assertThatThrownBy(() -> StaticSignals.builder().generated(SignalKind.GENERATION, quarter))
                .hasMessageContaining("must be hourly");
        assertThatThrownBy(() -> StaticSignals.builder().recorded(SignalKind.CARBON_INTENSITY, carbon)
                .forecaster(Forecaster.seasonalPersistence(7)).build())
                .hasMessage("CARBON_INTENSITY: seasonal-persistence-mean-7d needs 168 steps of history but the series has 72");
        assertThatThrownBy(() -> new SiteSignals(T0, Map.of(SignalKind.PRICE,
                new SignalReading(SignalKind.CARBON_INTENSITY, 1, T0, T0, Provenance.LIVE))))
                .hasMessageContaining("reading of CARBON_INTENSITY filed under PRICE");
    }

    @Test
    void staticSource_fromGeneratedProfilesRunsTheDemoWithoutFiles() {
        GeoPoint site = new GeoPoint(52.0, 5.0);
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        int week = 24 * 7;
        SignalSource source = StaticSignals.builder()
                .generated(SignalKind.CARBON_INTENSITY, DiurnalShape.centralEuropeCarbon(1).generate(start, week, site))
                .generated(SignalKind.PRICE, DiurnalShape.centralEuropePrice(1).generate(start, week, site))
                .generated(SignalKind.GENERATION, new PvArray(30, 0.8).output(start, week, site, 60))
                .repeating(true)
                .build();
        SiteSignals noon = source.conditions(start.plus(Duration.ofDays(20)).plus(Duration.ofHours(12)));
        assertThat(noon.readings()).hasSize(3);
        assertThat(noon.value(SignalKind.GENERATION).orElseThrow()).isPositive();
        assertThat(noon.anyFallback()).isFalse();
    }
}
