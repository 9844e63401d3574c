package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which meter a node uses, by power.source and by what the machine offers, and what each reports. */
class PowerMeterTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final BusyWindow slots = new BusyWindow(clock, Duration.ofSeconds(5), 1);
    private static final Supplier<Probe<NvmlLibrary>> NO_NVML = () -> Probe.unavailable("no driver in this test");

    private PowerEstimate estimate(NodeConfig.Power power) {
        return new PowerEstimate(power, slots, new CpuMeter(dir.resolve("no-stat"), clock), clock);
    }

    private PowerMeter choose(NodeConfig.PowerSource source, Path powercap, Supplier<Probe<NvmlLibrary>> nvml) {
        NodeConfig.Power power = new NodeConfig.Power(20, 100).withSource(source);
        return PowerMeter.choose("node t", power, estimate(power), powercap, nvml, clock);
    }

    private RaplFixture oneSocket() {
        return new RaplFixture(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0);
    }

    @Test
    void auto_withoutRapl_usesTheModel_markedEstimated_sayingWhy() {
        PowerMeter meter = choose(NodeConfig.PowerSource.AUTO, dir.resolve("no-powercap"), NO_NVML);
        assertThat(meter.source()).isEqualTo("model");
        assertThat(meter.estimated()).isTrue();
        assertThat(meter.detail()).startsWith("RAPL not available: ").contains("no-powercap does not exist");
        assertThat(meter.idleWatts()).hasValue(20.0);
        assertThat(meter.watts()).isEqualTo(20.0);
    }

    @Test
    void auto_withRapl_measures_andNvmlIsAskedOnlyThen() {
        int[] asked = {0};
        PowerMeter meter = choose(NodeConfig.PowerSource.AUTO, oneSocket().root(), () -> {
            asked[0]++;
            return Probe.unavailable("libnvidia-ml.so.1 cannot be loaded");
        });
        assertThat(meter.source()).isEqualTo("rapl");
        assertThat(meter.estimated()).isFalse();
        assertThat(meter.idleWatts()).isEmpty();
        assertThat(meter.detail()).contains("1 package zone", "NVML not available: libnvidia-ml.so.1");
        assertThat(asked[0]).isEqualTo(1);

        choose(NodeConfig.PowerSource.AUTO, dir.resolve("no-powercap"), () -> {
            asked[0]++;
            return Probe.unavailable("unused");
        });
        assertThat(asked[0]).as("no NVML without RAPL").isEqualTo(1);
    }

    @Test
    void measuredWatts_areTheCounterDeltaOverTheSpan() {
        RaplFixture tree = oneSocket();
        PowerMeter meter = choose(NodeConfig.PowerSource.AUTO, tree.root(), NO_NVML);
        tree.set("intel-rapl:0", 60_000_000);
        clock.advance(Duration.ofSeconds(2));
        assertThat(meter.watts()).isCloseTo(30.0, within(1e-9));
        assertThat(meter.joules()).isCloseTo(60.0, within(1e-9));

        // a reading sooner than the minimum span keeps the last figure
        tree.set("intel-rapl:0", 61_000_000);
        clock.advance(Duration.ofMillis(100));
        assertThat(meter.watts()).isCloseTo(30.0, within(1e-9));
        tree.set("intel-rapl:0", 80_000_000);
        clock.advance(Duration.ofMillis(900));
        // 20 J over the 1 s since the last figure
        assertThat(meter.watts()).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void raplAndNvml_areSummed_andNvmlIsClosedWithTheMeter() {
        RaplFixture tree = oneSocket();
        ScriptedNvml nvml = new ScriptedNvml().gpu(0L, 0);
        PowerMeter meter = choose(NodeConfig.PowerSource.AUTO, tree.root(),
                () -> Probe.available(nvml, "1 NVIDIA GPU through scripted"));
        assertThat(meter.source()).isEqualTo("rapl+nvml");
        assertThat(meter.estimated()).isFalse();

        tree.set("intel-rapl:0", 50_000_000);
        nvml.gpus.get(0).millijoules = 250_000L;
        clock.advance(Duration.ofSeconds(1));
        assertThat(meter.joules()).isCloseTo(300.0, within(1e-9));

        meter.close();
        assertThat(nvml.closed).isTrue();
    }

    @Test
    void raplForced_butUnavailable_failsNamingTheReasonAndTheWayOut() {
        assertThatThrownBy(() -> choose(NodeConfig.PowerSource.RAPL, dir.resolve("no-powercap"), NO_NVML))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node t: power.source is rapl, but RAPL cannot be read")
                .hasMessageContaining("no-powercap does not exist")
                .hasMessageContaining("set power.source to auto");
    }

    @Test
    void modelForced_ignoresRaplThatIsThere() {
        PowerMeter meter = choose(NodeConfig.PowerSource.MODEL, oneSocket().root(), NO_NVML);
        assertThat(meter.source()).isEqualTo("model");
        assertThat(meter.estimated()).isTrue();
        assertThat(meter.detail()).isEqualTo("power.source is model");
    }

    @Test
    void modelEnergy_integratesIdlePlusBusySlotTime() {
        PowerMeter meter = choose(NodeConfig.PowerSource.MODEL, dir, NO_NVML);
        clock.advance(Duration.ofSeconds(10));
        assertThat(meter.joules()).as("10 s idle at 20 W").isCloseTo(200.0, within(1e-9));

        BusyWindow.Hold hold = slots.begin();
        clock.advance(Duration.ofSeconds(3));
        slots.end(hold);
        clock.advance(Duration.ofSeconds(1));
        // 4 s at 20 W, plus 3 s of one busy slot at 80 W more
        assertThat(meter.joules()).isCloseTo(200.0 + 80.0 + 240.0, within(1e-6));
    }

    @Test
    void nodeAgent_withRaplFixture_reportsMeasuredPower_andRaplForcedWithoutItRefusesToStart() {
        RaplFixture tree = oneSocket();
        NodeAgent.MeterSources fixture = new NodeAgent.MeterSources(tree.root(), NO_NVML);
        try (NodeAgent node = NodeAgent.start(NodeConfig.builder("rapl-node", "s").build(), List.of(), clock,
                fixture)) {
            assertThat(node.telemetry().powerEstimated()).isFalse();
            assertThat(node.power().source()).isEqualTo("rapl");
        }

        NodeConfig forced = NodeConfig.builder("forced", "s")
                .power(NodeConfig.Power.DEFAULT.withSource(NodeConfig.PowerSource.RAPL)).build();
        NodeAgent.MeterSources none = new NodeAgent.MeterSources(dir.resolve("no-powercap"), NO_NVML);
        assertThatThrownBy(() -> NodeAgent.start(forced, List.of(), clock, none))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("node forced: power.source is rapl, but RAPL cannot be read");
    }
}
