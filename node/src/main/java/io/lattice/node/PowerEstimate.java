package io.lattice.node;

import java.util.Objects;

/**
 * The node's power draw from the calibrated model {@code idle + (max - idle) × utilisation}, where
 * utilisation comes from engine slots, the CPU, or the larger of both, as configured. Always an
 * estimate: a node with a meter (RAPL, NVML) will report measured watts instead.
 *
 * <p>Thread-safe.
 */
final class PowerEstimate {

    private final NodeConfig.Power power;
    private final BusyWindow slots;
    private final CpuMeter cpu;

    PowerEstimate(NodeConfig.Power power, BusyWindow slots, CpuMeter cpu) {
        this.power = Objects.requireNonNull(power, "power");
        this.slots = Objects.requireNonNull(slots, "slots");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
    }

    /** Utilisation 0 to 1 from the configured source. */
    double utilisation() {
        return switch (power.utilisation()) {
            case SLOTS -> slots.utilisation();
            case CPU -> cpu.busyShare().orElseGet(slots::utilisation);
            case MAX -> Math.max(slots.utilisation(), cpu.busyShare().orElse(0));
        };
    }

    /** Estimated draw of the whole node, W. */
    double watts() {
        return power.watts(utilisation());
    }
}
