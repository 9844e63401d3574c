package io.lattice.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The node's power draw from the calibrated model {@code idle + (max - idle) × utilisation}, where
 * utilisation comes from engine slots, the CPU, or the larger of both, as configured. Always an
 * estimate: a node with a meter (RAPL, NVML) reports measured watts instead.
 *
 * <p>Two readings: {@link #watts()} for telemetry (utilisation over the slot window, so it does not
 * flicker), and {@link #joules()}, the model's energy integrated piecewise between calls, which is
 * what request attribution differences. For slot utilisation the integral is exact: between two
 * calls the average utilisation is the busy slot-time of that span over its length. For CPU
 * utilisation it is the busy share {@link CpuMeter} reports since its own previous reading, which
 * may start a little earlier than the span (the CPU meter is shared with {@link #watts()}).
 *
 * <p>Thread-safe.
 */
final class PowerEstimate {

    private final NodeConfig.Power power;
    private final BusyWindow slots;
    private final CpuMeter cpu;
    private final InstantSource clock;
    private Instant lastAt;
    private long lastBusyNanos;
    private double joules;

    /** @param clock the clock of {@code slots} and {@code cpu}, for the energy integral */
    PowerEstimate(NodeConfig.Power power, BusyWindow slots, CpuMeter cpu, InstantSource clock) {
        this.power = Objects.requireNonNull(power, "power");
        this.slots = Objects.requireNonNull(slots, "slots");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastAt = clock.instant();
        this.lastBusyNanos = slots.busyNanos();
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

    /** The model's idle draw, W: what a request does not pay for. */
    double idleWatts() {
        return power.idleWatts();
    }

    /** Estimated energy of the whole node since this estimate was made, J; only grows. */
    synchronized double joules() {
        Instant now = clock.instant();
        long spanNanos = Duration.between(lastAt, now).toNanos();
        if (spanNanos <= 0) {
            return joules;
        }
        long busy = slots.busyNanos();
        double slotShare = slots.slots() == 0 ? 0
                : Math.clamp((double) (busy - lastBusyNanos) / ((double) spanNanos * slots.slots()), 0.0, 1.0);
        double u = switch (power.utilisation()) {
            case SLOTS -> slotShare;
            case CPU -> orElse(cpu.busyShare(), slotShare);
            case MAX -> Math.max(slotShare, orElse(cpu.busyShare(), 0));
        };
        joules += power.watts(u) * spanNanos / 1e9;
        lastAt = now;
        lastBusyNanos = busy;
        return joules;
    }

    private static double orElse(OptionalDouble value, double fallback) {
        return value.isPresent() ? value.getAsDouble() : fallback;
    }
}
