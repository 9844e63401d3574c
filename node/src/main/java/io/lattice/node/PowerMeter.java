package io.lattice.node;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The node's power meter: what it draws now (W, for telemetry) and a cumulative energy reading (J,
 * for attributing energy to requests), measured where the machine allows and estimated otherwise.
 *
 * <p>Which source, by {@code power.source}:
 * <ul>
 *   <li>{@code auto} (default): RAPL package counters when {@code /sys/class/powercap} has readable
 *       ones, plus every NVIDIA GPU when NVML loads — measured; otherwise the calibrated power
 *       model — estimated. NVML is used only together with RAPL: GPU energy alone would leave the
 *       rest of the machine unaccounted while claiming to be measured.</li>
 *   <li>{@code rapl}: as auto, but a node whose RAPL counters cannot be read refuses to start,
 *       saying why.</li>
 *   <li>{@code model}: always the calibrated model, even where counters exist (several nodes on one
 *       machine, as in the demo, would each see the whole machine's energy).</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} shuts NVML down when it was opened.
 */
final class PowerMeter implements EnergyCounter, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PowerMeter.class.getName());

    /** Measured watts are averaged over at least this span, so one heartbeat does not show counter granularity. */
    static final Duration MIN_WATTS_SPAN = Duration.ofMillis(500);

    private final String source;
    private final String detail;
    private final PowerEstimate model;
    private final List<EnergyCounter> counters;
    private final AutoCloseable nvml;
    private final InstantSource clock;
    private Instant wattsAt;
    private double wattsJoules;
    private double lastWatts = Double.NaN;

    private PowerMeter(String source, String detail, PowerEstimate model, List<EnergyCounter> counters,
                       AutoCloseable nvml, InstantSource clock) {
        this.source = source;
        this.detail = detail;
        this.model = model;
        this.counters = List.copyOf(counters);
        this.nvml = nvml;
        this.clock = clock;
        this.wattsAt = clock.instant();
        this.wattsJoules = joules();
    }

    /** The calibrated model alone; {@code detail} says why. */
    static PowerMeter model(PowerEstimate model, String detail, InstantSource clock) {
        return new PowerMeter("model", detail, Objects.requireNonNull(model, "model"), List.of(), null, clock);
    }

    /**
     * Chooses the meter as {@code power.source} says (see the class comment).
     *
     * @param who      names the node in messages, for example {@code "node brittany-1"}
     * @param powercap the powercap folder, {@link RaplReader#POWERCAP} on a real machine
     * @param nvml     opens NVML; called only when RAPL is available
     * @throws IllegalStateException when {@code power.source} is {@code rapl} and RAPL cannot be read; the
     *                               message says why and what to do
     */
    static PowerMeter choose(String who, NodeConfig.Power config, PowerEstimate model, Path powercap,
                             Supplier<Probe<NvmlLibrary>> nvml, InstantSource clock) {
        if (config.source() == NodeConfig.PowerSource.MODEL) {
            return model(model, "power.source is model", clock);
        }
        Probe<RaplReader> rapl = RaplReader.open(powercap, clock);
        if (!rapl.isAvailable()) {
            if (config.source() == NodeConfig.PowerSource.RAPL) {
                throw new IllegalStateException(who + ": power.source is rapl, but RAPL cannot be read: "
                        + rapl.detail()
                        + ". Make the counters readable, or set power.source to auto to fall back to the calibrated"
                        + " power model (figures then marked estimated).");
            }
            return model(model, "RAPL not available: " + rapl.detail(), clock);
        }
        List<EnergyCounter> counters = new ArrayList<>();
        counters.add(rapl.value().counter());
        String detail = "RAPL: " + rapl.detail();
        Probe<NvmlLibrary> gpus = nvml.get();
        if (!gpus.isAvailable()) {
            return new PowerMeter("rapl", detail + "; NVML not available: " + gpus.detail(), null, counters, null,
                    clock);
        }
        try {
            GpuEnergy gpu = new GpuEnergy(gpus.value(), clock);
            counters.add(gpu);
            return new PowerMeter("rapl+nvml", detail + "; NVML: " + gpus.detail() + " (" + gpu.method() + ")", null,
                    counters, gpus.value(), clock);
        } catch (NvmlLibrary.NvmlException | RuntimeException e) {
            gpus.value().close();
            LOG.log(System.Logger.Level.WARNING, who + ": NVML loaded but its GPUs cannot be read (" + e.getMessage()
                    + "); metering the CPU packages only");
            return new PowerMeter("rapl", detail + "; NVML failed: " + e.getMessage(), null, counters, null, clock);
        }
    }

    /** {@code rapl}, {@code rapl+nvml} or {@code model}. */
    String source() {
        return source;
    }

    /** What was found, or why the model is used; for the log and the health document. */
    String detail() {
        return detail;
    }

    /** True when the figures come from the calibrated model rather than a meter. */
    boolean estimated() {
        return model != null;
    }

    /** The idle draw when the source knows it (the model does), W; empty for meters, whose idle is learned. */
    OptionalDouble idleWatts() {
        return model == null ? OptionalDouble.empty() : OptionalDouble.of(model.idleWatts());
    }

    /** Energy since the meter was made, J; only grows. */
    @Override
    public double joules() {
        if (model != null) {
            return model.joules();
        }
        double sum = 0;
        for (EnergyCounter c : counters) {
            sum += c.joules();
        }
        return sum;
    }

    /**
     * Power draw now, W. For the model: its estimate over the utilisation window. For meters: the mean
     * since the previous figure, renewed once at least {@link #MIN_WATTS_SPAN} has passed (heartbeats
     * read it about once a second, so that is the span).
     */
    double watts() {
        if (model != null) {
            return model.watts();
        }
        synchronized (this) {
            Instant now = clock.instant();
            double j = joules();
            long nanos = Duration.between(wattsAt, now).toNanos();
            if (nanos >= MIN_WATTS_SPAN.toNanos() || (Double.isNaN(lastWatts) && nanos > 0)) {
                lastWatts = (j - wattsJoules) / (nanos / 1e9);
                wattsAt = now;
                wattsJoules = j;
            }
            return Double.isNaN(lastWatts) ? 0 : lastWatts;
        }
    }

    @Override
    public void close() {
        if (nvml != null) {
            try {
                nvml.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing NVML failed", e);
            }
        }
    }
}
