package io.lattice.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {

    private static final Instant T0 = Instant.parse("2023-01-01T00:00:00Z");
    private static final TimeSeries FOUR = TimeSeries.hourly(T0, new double[] {10, 20, 30, 40}, "USD/MWh");

    @Test
    void valueAt_returnsTheValueOfTheHourContainingTheInstant() {
        assertThat(FOUR.valueAt(T0)).isEqualTo(10);
        assertThat(FOUR.valueAt(T0.plusSeconds(3599))).isEqualTo(10);
        assertThat(FOUR.valueAt(T0.plusSeconds(3600))).isEqualTo(20);
        assertThat(FOUR.valueAt(Instant.parse("2023-01-01T03:59:59.999999999Z"))).isEqualTo(40);
    }

    @Test
    void valueAt_outsideTheSeriesFailsNamingTheRange() {
        assertThatThrownBy(() -> FOUR.valueAt(T0.minusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside this series [2023-01-01T00:00:00Z, 2023-01-01T04:00:00Z)");
        assertThatThrownBy(() -> FOUR.valueAt(FOUR.end())).isInstanceOf(IllegalArgumentException.class);
        assertThat(FOUR.find(FOUR.end())).isEmpty();
        assertThat(FOUR.find(T0.plusSeconds(7200))).hasValue(30);
        assertThat(FOUR.covers(Instant.parse("1800-01-01T00:00:00Z"))).isFalse();
        assertThat(FOUR.covers(Instant.parse("9999-01-01T00:00:00Z"))).isFalse();
    }

    @Test
    void of_rejectsNonFiniteValuesNamingIndexAndTime() {
        assertThatThrownBy(() -> TimeSeries.hourly(T0, new double[] {1, 2, Double.NaN}, "kW"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value 2 (2023-01-01T02:00:00Z) is NaN");
        assertThatThrownBy(() -> TimeSeries.hourly(T0, new double[] {Double.POSITIVE_INFINITY}, "kW"))
                .hasMessageContaining("value 0 (2023-01-01T00:00:00Z) is Infinity");
    }

    @Test
    void of_rejectsBadStepAndBlankUnit() {
        assertThatThrownBy(() -> TimeSeries.of(T0, Duration.ZERO, new double[] {1}, "kW"))
                .hasMessageContaining("step must be at least 1 ms but was PT0S");
        assertThatThrownBy(() -> TimeSeries.hourly(T0, new double[] {1}, " "))
                .hasMessageContaining("unit must not be blank");
    }

    @Test
    void of_copiesTheArraySoTheSeriesCannotChange() {
        double[] values = {1, 2};
        TimeSeries s = TimeSeries.hourly(T0, values, "kW");
        values[0] = 99;
        s.values()[1] = 99;
        assertThat(s.values()).containsExactly(1, 2);
    }

    @Test
    void sliceByIndex_isAViewWithTheRightStart() {
        TimeSeries mid = FOUR.slice(1, 3);
        assertThat(mid.start()).isEqualTo(T0.plusSeconds(3600));
        assertThat(mid.end()).isEqualTo(T0.plusSeconds(3 * 3600));
        assertThat(mid.values()).containsExactly(20, 30);
        assertThat(mid.valueAt(T0.plusSeconds(2 * 3600 + 5))).isEqualTo(30);
        assertThat(mid.slice(1, 2).values()).containsExactly(30);
        assertThat(mid).isEqualTo(TimeSeries.hourly(T0.plusSeconds(3600), new double[] {20, 30}, "USD/MWh"));
        assertThat(mid.hashCode()).isEqualTo(
                TimeSeries.hourly(T0.plusSeconds(3600), new double[] {20, 30}, "USD/MWh").hashCode());
    }

    @Test
    void sliceByTime_keepsEveryStepOverlappingTheInterval() {
        assertThat(FOUR.slice(T0.plusSeconds(1800), T0.plusSeconds(2 * 3600)).values()).containsExactly(10, 20);
        assertThat(FOUR.slice(T0.plusSeconds(1800), T0.plusSeconds(2 * 3600 + 1)).values()).containsExactly(10, 20, 30);
        assertThat(FOUR.slice(T0.minusSeconds(99_999), T0.plusSeconds(99_999)).values()).containsExactly(10, 20, 30, 40);
        assertThat(FOUR.slice(T0.plusSeconds(3600), T0.plusSeconds(3600)).isEmpty()).isTrue();
        assertThat(FOUR.slice(T0.plusSeconds(4000), T0.plusSeconds(4000)).isEmpty()).isTrue();
        assertThat(FOUR.slice(FOUR.end(), FOUR.end().plusSeconds(7200)).isEmpty()).isTrue();
        assertThat(FOUR.slice(T0.minusSeconds(7200), T0).isEmpty()).isTrue();
        assertThatThrownBy(() -> FOUR.slice(T0.plusSeconds(10), T0)).hasMessageContaining("before its start");
    }

    @Test
    void iteration_visitsEveryPointInOrderWithItsTime() {
        List<TimeSeries.Point> points = new ArrayList<>();
        FOUR.slice(2, 4).forEach(points::add);
        assertThat(points).containsExactly(
                new TimeSeries.Point(T0.plusSeconds(7200), 30),
                new TimeSeries.Point(T0.plusSeconds(3 * 3600), 40));
    }

    @Test
    void statisticsAndMap() {
        assertThat(FOUR.mean()).hasValue(25);
        assertThat(FOUR.min()).hasValue(10);
        assertThat(FOUR.max()).hasValue(40);
        assertThat(FOUR.last(2).values()).containsExactly(30, 40);
        assertThat(FOUR.last(9).size()).isEqualTo(4);
        TimeSeries perKwh = FOUR.map(v -> v / 1000, "USD/kWh");
        assertThat(perKwh.unit()).isEqualTo("USD/kWh");
        assertThat(perKwh.get(3)).isEqualTo(0.04);
        assertThatThrownBy(() -> FOUR.map(v -> v / 0 * 0, "x")).hasMessageContaining("is NaN");
    }

    @Test
    void withStart_replaysTheSameValuesAtAnotherTime() {
        Instant later = Instant.parse("2026-03-01T00:00:00Z");
        TimeSeries moved = FOUR.slice(1, 4).withStart(later);
        assertThat(moved.valueAt(later.plusSeconds(3600))).isEqualTo(30);
        assertThat(moved.end()).isEqualTo(later.plusSeconds(3 * 3600));
    }

    @Test
    void subHourlySteps_work() {
        TimeSeries quarter = TimeSeries.of(T0, Duration.ofMinutes(15), new double[] {1, 2, 3}, "kW");
        assertThat(quarter.valueAt(T0.plusSeconds(31 * 60))).isEqualTo(3);
        assertThat(quarter.end()).isEqualTo(T0.plusSeconds(45 * 60));
    }
}
