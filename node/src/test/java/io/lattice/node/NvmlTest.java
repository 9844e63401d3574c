package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * NVML: the absent-library path of the real FFM binding, and the GPU energy arithmetic over a
 * scripted stand-in. Real NVML cannot be tested here (no NVIDIA GPU or driver on the build machine).
 */
class NvmlTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void load_withoutTheLibrary_isNotAvailable_sayingSo() {
        Probe<NvmlLibrary> probe = NativeNvml.load("/nonexistent/libnvidia-ml.so.1");
        assertThat(probe.isAvailable()).isFalse();
        assertThat(probe.detail()).contains("/nonexistent/libnvidia-ml.so.1 cannot be loaded");
    }

    @Test
    void load_aLibraryThatIsNotNvml_isNotAvailable_namingTheMissingCall() {
        // the C library is on every Linux machine: loading it exercises the real FFM lookup
        Probe<NvmlLibrary> probe = NativeNvml.load("libc.so.6");
        assertThat(probe.isAvailable()).isFalse();
        assertThat(probe.detail()).contains("lacks an NVML call", "nvmlInit_v2");
    }

    @Test
    void load_onThisMachine_findsGpusOrSaysWhyNot() {
        Probe<NvmlLibrary> probe = NativeNvml.load(NativeNvml.LIBRARY);
        if (probe.isAvailable()) {
            try (NvmlLibrary nvml = probe.value()) {
                assertThat(nvml.deviceCount()).isPositive();
            } catch (NvmlLibrary.NvmlException e) {
                throw new AssertionError(e);
            }
        } else {
            assertThat(probe.detail()).isNotBlank();
        }
    }

    @Test
    void gpuWithEnergyCounter_isReadExactly() throws Exception {
        ScriptedNvml nvml = new ScriptedNvml().gpu(5_000_000L, 300_000);
        GpuEnergy energy = new GpuEnergy(nvml, clock);
        assertThat(energy.method()).isEqualTo("1 energy counter");
        assertThat(energy.joules()).isZero();

        nvml.gpus.get(0).millijoules = 5_000_000L + 1_500_000L;
        clock.advance(Duration.ofSeconds(5));
        assertThat(energy.joules()).isCloseTo(1500.0, within(1e-9));
    }

    @Test
    void gpuWithoutEnergyCounter_isIntegratedFromPower_andGpusAreSummed() throws Exception {
        ScriptedNvml nvml = new ScriptedNvml().gpu(null, 100_000).gpu(0L, 0);
        GpuEnergy energy = new GpuEnergy(nvml, clock);
        assertThat(energy.method()).isEqualTo("1 energy counter, 1 power sampled");

        nvml.gpus.get(0).milliwatts = 300_000;
        nvml.gpus.get(1).millijoules = 40_000L;
        clock.advance(Duration.ofSeconds(2));
        // trapezoid: (100 W + 300 W) / 2 × 2 s = 400 J, plus 40 J counted by the second GPU
        assertThat(energy.joules()).isCloseTo(440.0, within(1e-9));
    }

    @Test
    void failingGpu_addsNothingUntilItAnswersAgain() throws Exception {
        ScriptedNvml nvml = new ScriptedNvml().gpu(1_000L, 0);
        GpuEnergy energy = new GpuEnergy(nvml, clock);
        nvml.gpus.get(0).failing = true;
        clock.advance(Duration.ofSeconds(1));
        assertThat(energy.joules()).isZero();

        nvml.gpus.get(0).failing = false;
        nvml.gpus.get(0).millijoules = 3_000L;
        assertThat(energy.joules()).isCloseTo(2.0, within(1e-9));
    }
}
