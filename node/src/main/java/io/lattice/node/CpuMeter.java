package io.lattice.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The machine's CPU busy share, from the aggregate {@code cpu} line of {@code /proc/stat}: the share
 * of jiffies since the previous reading that were neither idle nor waiting for I/O.
 *
 * <p>Readings closer together than {@link #MIN_GAP} reuse the last share, because a delta over a
 * few milliseconds is mostly rounding. Where the file is missing (not Linux) the share is empty.
 *
 * <p>Thread-safe.
 */
final class CpuMeter {

    static final Path PROC_STAT = Path.of("/proc/stat");
    static final Duration MIN_GAP = Duration.ofMillis(500);

    private record Jiffies(long busy, long total) {
    }

    private final Path procStat;
    private final InstantSource clock;
    private Jiffies last;
    private Instant lastAt;
    private double lastShare = Double.NaN;

    CpuMeter(Path procStat, InstantSource clock) {
        this.procStat = Objects.requireNonNull(procStat, "procStat");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Busy share 0 to 1 since the previous reading (since boot on the first), or empty where unknown. */
    synchronized OptionalDouble busyShare() {
        Instant now = clock.instant();
        if (lastAt != null && Duration.between(lastAt, now).compareTo(MIN_GAP) < 0 && !Double.isNaN(lastShare)) {
            return OptionalDouble.of(lastShare);
        }
        Jiffies current = read();
        if (current == null) {
            return OptionalDouble.empty();
        }
        long busy = current.busy() - (last == null ? 0 : last.busy());
        long total = current.total() - (last == null ? 0 : last.total());
        last = current;
        lastAt = now;
        if (total > 0) {
            lastShare = Math.clamp((double) busy / total, 0.0, 1.0);
        }
        return Double.isNaN(lastShare) ? OptionalDouble.empty() : OptionalDouble.of(lastShare);
    }

    private Jiffies read() {
        String line;
        try {
            if (!Files.isReadable(procStat)) {
                return null;
            }
            try (var lines = Files.lines(procStat)) {
                line = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse(null);
            }
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
        if (line == null) {
            return null;
        }
        // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user
        String[] f = line.trim().split("\\s+");
        if (f.length < 5) {
            return null;
        }
        long total = 0;
        long idle = 0;
        try {
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return new Jiffies(total - idle, total);
    }
}
