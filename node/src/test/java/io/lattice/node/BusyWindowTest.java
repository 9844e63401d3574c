package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BusyWindowTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void utilisation_isBusySlotTimeOverWindowTimesSlots() {
        BusyWindow meter = new BusyWindow(clock, Duration.ofSeconds(10), 2);
        clock.advance(Duration.ofSeconds(10));
        BusyWindow.Hold a = meter.begin();
        clock.advance(Duration.ofSeconds(4));
        meter.end(a);
        clock.advance(Duration.ofSeconds(6));

        // 4 busy slot-seconds out of 2 slots × 10 s
        assertThat(meter.utilisation()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void utilisation_countsRunningHoldsUpToNow() {
        BusyWindow meter = new BusyWindow(clock, Duration.ofSeconds(10), 1);
        clock.advance(Duration.ofSeconds(20));
        meter.begin();
        clock.advance(Duration.ofSeconds(5));

        assertThat(meter.utilisation()).isCloseTo(0.5, within(1e-9));
        clock.advance(Duration.ofSeconds(30));
        assertThat(meter.utilisation()).isEqualTo(1.0);
    }

    @Test
    void utilisation_forgetsWorkOlderThanTheWindow() {
        BusyWindow meter = new BusyWindow(clock, Duration.ofSeconds(5), 1);
        BusyWindow.Hold a = meter.begin();
        clock.advance(Duration.ofSeconds(3));
        meter.end(a);
        clock.advance(Duration.ofSeconds(4));

        // 1 s of the 3 s hold lies inside [now-5 s, now]
        assertThat(meter.utilisation()).isCloseTo(0.2, within(1e-9));
        clock.advance(Duration.ofSeconds(2));
        assertThat(meter.utilisation()).isZero();
    }

    @Test
    void utilisation_beforeAWholeWindowHasPassed_dividesByTimeSinceStart() {
        BusyWindow meter = new BusyWindow(clock, Duration.ofSeconds(30), 1);
        BusyWindow.Hold a = meter.begin();
        clock.advance(Duration.ofSeconds(1));
        meter.end(a);
        clock.advance(Duration.ofSeconds(1));

        assertThat(meter.utilisation()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void end_twice_countsTheHoldOnce() {
        BusyWindow meter = new BusyWindow(clock, Duration.ofSeconds(10), 1);
        clock.advance(Duration.ofSeconds(10));
        BusyWindow.Hold a = meter.begin();
        clock.advance(Duration.ofSeconds(2));
        meter.end(a);
        clock.advance(Duration.ofSeconds(2));
        meter.end(a);

        assertThat(meter.utilisation()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void utilisation_withNoMeteredSlots_isZero() {
        BusyWindow meter = new BusyWindow(clock, Duration.ofSeconds(10), 0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(meter.utilisation()).isZero();
    }
}
