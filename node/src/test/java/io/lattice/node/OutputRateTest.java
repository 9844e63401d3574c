package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutputRateTest {

    private final ManualClock clock = new ManualClock();
    private final OutputRate rate = new OutputRate(clock, Duration.ofSeconds(30));

    @Test
    void tokensPerSecond_isTokensOverGenerationTime() {
        rate.record(100, Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(1));
        rate.record(50, Duration.ofSeconds(1));

        assertThat(rate.tokensPerSecond()).isCloseTo(150.0 / 5.0, within(1e-9));
    }

    @Test
    void tokensPerSecond_dropsCompletionsOlderThanTheWindow() {
        rate.record(100, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(20));
        rate.record(40, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(11));

        assertThat(rate.tokensPerSecond()).isCloseTo(40.0, within(1e-9));
        clock.advance(Duration.ofSeconds(20));
        assertThat(rate.tokensPerSecond()).isZero();
    }

    @Test
    void tokensPerSecond_withNothingMeasured_isZero() {
        rate.record(0, Duration.ofSeconds(1));
        rate.record(10, Duration.ZERO);
        assertThat(rate.tokensPerSecond()).isZero();
    }
}
