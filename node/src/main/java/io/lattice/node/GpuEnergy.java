package io.lattice.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The energy of all GPUs NVML sees, as one cumulative counter.
 *
 * <p>Design note. A GPU whose driver keeps an energy counter ({@code nvmlDeviceGetTotalEnergyConsumption},
 * Volta and newer) is read exactly: the difference of two counter values, mJ. An older GPU only says
 * what it draws now ({@code nvmlDeviceGetPowerUsage}, mW), so its energy is integrated with the
 * trapezoid rule between readings; that is close when readings come often (every heartbeat and
 * request) and the draw does not swing between them. Which way each GPU is read is decided once,
 * when the counter is made. A reading that fails adds nothing for that GPU and is logged once.
 *
 * <p>Thread-safe.
 */
final class GpuEnergy implements EnergyCounter {

    private static final System.Logger LOG = System.getLogger(GpuEnergy.class.getName());

    private final NvmlLibrary nvml;
    private final InstantSource clock;
    private final boolean[] hasCounter;
    private final long[] lastMillijoules;
    private final double[] lastWatts;
    private final int count;
    private Instant lastAt;
    private double joules;
    private boolean failing;

    GpuEnergy(NvmlLibrary nvml, InstantSource clock) throws NvmlLibrary.NvmlException {
        this.nvml = Objects.requireNonNull(nvml, "nvml");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.count = nvml.deviceCount();
        this.hasCounter = new boolean[count];
        this.lastMillijoules = new long[count];
        this.lastWatts = new double[count];
        for (int d = 0; d < count; d++) {
            try {
                lastMillijoules[d] = nvml.totalEnergyMillijoules(d);
                hasCounter[d] = true;
            } catch (NvmlLibrary.NvmlException e) {
                if (e.code() != NvmlLibrary.NOT_SUPPORTED) {
                    throw e;
                }
                lastWatts[d] = nvml.powerMilliwatts(d) / 1000.0;
            }
        }
        this.lastAt = clock.instant();
    }

    /** How each GPU is read, for the log and health: for example {@code "2 energy counters, 1 power sampled"}. */
    String method() {
        int counters = 0;
        for (boolean c : hasCounter) {
            counters += c ? 1 : 0;
        }
        int sampled = count - counters;
        return counters + " energy counter" + (counters == 1 ? "" : "s")
                + (sampled == 0 ? "" : ", " + sampled + " power sampled");
    }

    @Override
    public synchronized double joules() {
        Instant now = clock.instant();
        double seconds = Math.max(0, Duration.between(lastAt, now).toNanos() / 1e9);
        boolean failed = false;
        for (int d = 0; d < count; d++) {
            try {
                if (hasCounter[d]) {
                    long mj = nvml.totalEnergyMillijoules(d);
                    // the counter is 64-bit and starts at driver load: it does not wrap, but a driver reload resets it
                    if (mj >= lastMillijoules[d]) {
                        joules += (mj - lastMillijoules[d]) / 1000.0;
                    }
                    lastMillijoules[d] = mj;
                } else {
                    double watts = nvml.powerMilliwatts(d) / 1000.0;
                    joules += (lastWatts[d] + watts) / 2 * seconds;
                    lastWatts[d] = watts;
                }
            } catch (NvmlLibrary.NvmlException | RuntimeException e) {
                failed = true;
                if (!failing) {
                    LOG.log(System.Logger.Level.WARNING, "reading GPU " + d + " through NVML failed (" + e.getMessage()
                            + "); its energy is not counted until it can be read again");
                }
            }
        }
        failing = failed;
        lastAt = now;
        return joules;
    }
}
