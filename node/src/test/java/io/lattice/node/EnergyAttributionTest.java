package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The attribution rule: energy above idle, shared evenly among the requests running at the time. */
class EnergyAttributionTest {

    /** A machine whose draw the test sets; its energy is the exact integral over the manual clock. */
    private static final class Machine implements EnergyCounter {
        final ManualClock clock = new ManualClock();
        private double watts;
        private double joules;

        Machine draws(double watts) {
            this.watts = watts;
            return this;
        }

        void run(Duration d) {
            joules += watts * d.toNanos() / 1e9;
            clock.advance(d);
        }

        @Override
        public synchronized double joules() {
            return joules;
        }
    }

    private final Machine machine = new Machine().draws(20);

    @Test
    void oneRequest_isChargedTheDrawAboveTheKnownIdle() {
        EnergyAttribution attribution = new EnergyAttribution(machine, OptionalDouble.of(20), machine.clock);
        machine.run(Duration.ofSeconds(3));
        EnergyAttribution.Share share = attribution.begin();
        machine.draws(100).run(Duration.ofSeconds(2));
        assertThat(attribution.end(share)).isCloseTo(160.0, within(1e-9));
    }

    @Test
    void overlappingRequests_shareEvenlyTheSpansTheyRanTogether() {
        EnergyAttribution attribution = new EnergyAttribution(machine, OptionalDouble.of(20), machine.clock);
        EnergyAttribution.Share a = attribution.begin();
        machine.draws(60).run(Duration.ofSeconds(1));       // a alone: 40 J
        EnergyAttribution.Share b = attribution.begin();
        machine.draws(100).run(Duration.ofSeconds(2));      // both: 160 J, 80 J each
        double aJoules = attribution.end(a);
        machine.draws(60).run(Duration.ofSeconds(1));       // b alone: 40 J
        double bJoules = attribution.end(b);

        assertThat(aJoules).isCloseTo(120.0, within(1e-9));
        assertThat(bJoules).isCloseTo(120.0, within(1e-9));
        // nothing above idle is lost or counted twice
        assertThat(aJoules + bJoules).isCloseTo(40 + 160 + 40, within(1e-9));
    }

    @Test
    void meterWithoutKnownIdle_learnsItFromIdleSpans() {
        machine.draws(30);
        EnergyAttribution attribution = new EnergyAttribution(machine, OptionalDouble.empty(), machine.clock);
        assertThat(attribution.idleWatts()).isEmpty();
        machine.run(Duration.ofSeconds(5));
        EnergyAttribution.Share share = attribution.begin();
        assertThat(attribution.idleWatts()).hasValue(30.0);

        machine.draws(80).run(Duration.ofSeconds(2));
        assertThat(attribution.end(share)).isCloseTo(100.0, within(1e-9));

        // a blip shorter than the minimum idle span does not move the learned idle
        machine.draws(500).run(EnergyAttribution.MIN_IDLE_SPAN.dividedBy(2));
        attribution.end(attribution.begin());
        assertThat(attribution.idleWatts()).hasValue(30.0);
    }

    @Test
    void beforeAnyIdleSpan_requestsAreChargedTheWholeDraw() {
        EnergyAttribution attribution = new EnergyAttribution(machine, OptionalDouble.empty(), machine.clock);
        EnergyAttribution.Share share = attribution.begin();
        machine.draws(50).run(Duration.ofSeconds(2));
        assertThat(attribution.end(share)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void drawBelowIdle_chargesNothing_andASecondEndChargesNothing() {
        EnergyAttribution attribution = new EnergyAttribution(machine, OptionalDouble.of(20), machine.clock);
        EnergyAttribution.Share share = attribution.begin();
        machine.draws(15).run(Duration.ofSeconds(1));
        assertThat(attribution.end(share)).isZero();

        EnergyAttribution.Share again = attribution.begin();
        machine.draws(40).run(Duration.ofSeconds(1));
        assertThat(attribution.end(again)).isCloseTo(20.0, within(1e-9));
        assertThat(attribution.end(again)).isZero();
    }
}
