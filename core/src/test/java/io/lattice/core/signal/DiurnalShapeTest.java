package io.lattice.core.signal;

import io.lattice.core.GeoPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DiurnalShapeTest {

    private static final GeoPoint ZERO_MERIDIAN = new GeoPoint(50, 0); // solar time = UTC
    private static final Instant MONDAY_JUNE = Instant.parse("2023-06-19T00:00:00Z");
    private static final Instant MONDAY_DECEMBER = Instant.parse("2023-12-18T00:00:00Z");

    @Test
    void price_hasMorningAndEveningPeaksAroundACheaperMiddayInWinter() {
        TimeSeries day = DiurnalShape.centralEuropePrice(7).generate(MONDAY_DECEMBER, 24, ZERO_MERIDIAN);
        assertThat(day.unit()).isEqualTo("USD/MWh");
        double night = day.get(3);
        double morning = day.get(8);
        double noon = day.get(13);
        double evening = day.get(19);
        assertThat(morning).isGreaterThan(night).isGreaterThan(noon);
        assertThat(evening).isGreaterThan(morning);
        assertThat(PhysicalModelsTest.argMax(day)).isIn(18, 19); // the peak is centred at 19:00
    }

    @Test
    void price_inSummerSolarMakesMiddayTheCheapestTimeOfDay() {
        TimeSeries day = DiurnalShape.centralEuropePrice(7).generate(MONDAY_JUNE, 24, ZERO_MERIDIAN);
        assertThat(PhysicalModelsTest.argMin(day)).isBetween(11, 13);
        assertThat(day.get(12)).isLessThan(day.get(3) / 2);
        assertThat(PhysicalModelsTest.argMax(day)).isBetween(19, 20);
    }

    @Test
    void solarDip_isDeepInSummerAndShallowInWinter() {
        DiurnalShape carbon = DiurnalShape.centralEuropeCarbon(7);
        TimeSeries june = carbon.generate(MONDAY_JUNE, 24, ZERO_MERIDIAN);
        TimeSeries december = carbon.generate(MONDAY_DECEMBER, 24, ZERO_MERIDIAN);
        double juneDip = june.get(3) - june.get(12);
        double decemberDip = december.get(3) - december.get(12);
        assertThat(juneDip).isGreaterThan(2 * decemberDip);
        assertThat(june.min().orElseThrow()).isGreaterThanOrEqualTo(120); // the floor
    }

    @Test
    void generate_isAPureFunctionOfTheHourAndSeed() {
        DiurnalShape shape = DiurnalShape.centralEuropePrice(42);
        TimeSeries week = shape.generate(MONDAY_JUNE, 24 * 7, ZERO_MERIDIAN);
        TimeSeries later = shape.generate(MONDAY_JUNE.plus(Duration.ofHours(30)), 24, ZERO_MERIDIAN);
        assertThat(later.values()).containsExactly(week.slice(30, 54).values());
        assertThat(shape.generate(MONDAY_JUNE, 24 * 7, ZERO_MERIDIAN)).isEqualTo(week);
        assertThat(DiurnalShape.centralEuropePrice(43).generate(MONDAY_JUNE, 24 * 7, ZERO_MERIDIAN)).isNotEqualTo(week);
    }

    @Test
    void weekendDiscount_lowersSaturdayAndSunday() {
        DiurnalShape noNoise = new DiurnalShape(SignalKind.PRICE, 100, 0, 0, 0, -100, 0.2, 0, 1);
        TimeSeries week = noNoise.generate(MONDAY_DECEMBER, 24 * 7, ZERO_MERIDIAN);
        assertThat(week.get(2)).isEqualTo(100);             // Monday 02:00
        assertThat(week.get(5 * 24 + 2)).isEqualTo(80);     // Saturday 02:00
        assertThat(week.get(6 * 24 + 2)).isEqualTo(80);     // Sunday
    }

    @Test
    void hoursFollowLocalSolarTime() {
        GeoPoint tokyo = new GeoPoint(35.7, 139.7); // solar time is UTC + 9.3 h
        TimeSeries day = new DiurnalShape(SignalKind.PRICE, 50, 0, 40, 0, 0, 0, 0, 1)
                .generate(MONDAY_DECEMBER, 24, tokyo);
        // the 19:00 solar-time evening peak falls at about 09:40 UTC
        assertThat(PhysicalModelsTest.argMax(day)).isIn(9, 10);
    }

    @Test
    void parameters_areValidated() {
        assertThatThrownBy(() -> new DiurnalShape(SignalKind.HEAT_DEMAND, 1, 0, 0, 0, 0, 0, 0, 1))
                .hasMessageContaining("PRICE or CARBON_INTENSITY");
        assertThatThrownBy(() -> new DiurnalShape(SignalKind.CARBON_INTENSITY, 1, 0, 0, 0, -5, 0, 0, 1))
                .hasMessageContaining("floor must be >= 0 gCO2e/kWh");
        assertThatThrownBy(() -> new DiurnalShape(SignalKind.PRICE, 1, -1, 0, 0, 0, 0, 0, 1))
                .hasMessageContaining("morningPeak");
        assertThatThrownBy(() -> new DiurnalShape(SignalKind.PRICE, 1, 0, 0, 0, 0, 1, 0, 1))
                .hasMessageContaining("weekendDiscount must be within [0, 1) but was 1.0");
    }

    @Test
    void generatedPv_isZeroAtNightAndHighestAtSolarNoon() {
        GeoPoint site = new GeoPoint(37.4, -5.9); // Seville: solar noon ≈ 12:24 UTC in June
        TimeSeries pv = new PvArray(20, 0.8).output(MONDAY_JUNE, 48, site, 20);
        assertThat(pv.get(0)).isZero();
        assertThat(pv.get(22)).isZero();
        assertThat(PhysicalModelsTest.argMax(pv.slice(0, 24))).isEqualTo(12);
        assertThat(pv.max().orElseThrow()).isLessThan(20 * 0.8);
    }
}
