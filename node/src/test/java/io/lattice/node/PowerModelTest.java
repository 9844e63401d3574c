package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PowerModelTest {

    @Test
    void watts_interpolatesBetweenIdleAndMax() {
        NodeConfig.Power power = new NodeConfig.Power(45, 180);
        assertThat(power.watts(0)).isEqualTo(45.0);
        assertThat(power.watts(1)).isEqualTo(180.0);
        assertThat(power.watts(0.5)).isEqualTo(112.5);
        assertThat(power.watts(3)).isEqualTo(180.0);
        assertThat(power.watts(Double.NaN)).isEqualTo(45.0);
    }

    @Test
    void power_maxBelowIdle_isRefusedNamingBoth() {
        assertThatThrownBy(() -> new NodeConfig.Power(50, 40))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWatts")
                .hasMessageContaining("idleWatts (50.0)");
    }

    @Test
    void estimate_fromSlots_followsBusyShare() {
        ManualClock clock = new ManualClock();
        BusyWindow slots = new BusyWindow(clock, Duration.ofSeconds(10), 1);
        PowerEstimate estimate = new PowerEstimate(new NodeConfig.Power(20, 120), slots,
                new CpuMeter(java.nio.file.Path.of("/nonexistent/stat"), clock), clock);
        clock.advance(Duration.ofSeconds(10));
        assertThat(estimate.watts()).isEqualTo(20.0);

        slots.begin();
        clock.advance(Duration.ofSeconds(5));
        assertThat(estimate.watts()).isEqualTo(70.0);
    }

    @Test
    void estimate_fromCpu_withoutProcStat_fallsBackToSlots() {
        ManualClock clock = new ManualClock();
        BusyWindow slots = new BusyWindow(clock, Duration.ofSeconds(10), 1);
        PowerEstimate estimate = new PowerEstimate(new NodeConfig.Power(20, 120, NodeConfig.Utilisation.CPU),
                slots, new CpuMeter(java.nio.file.Path.of("/nonexistent/stat"), clock), clock);
        slots.begin();
        clock.advance(Duration.ofSeconds(10));
        assertThat(estimate.watts()).isEqualTo(120.0);
    }
}
