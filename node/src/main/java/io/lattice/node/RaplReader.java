package io.lattice.node;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the CPU packages' energy counters that Linux exposes for RAPL (Running Average Power Limit)
 * under {@code /sys/class/powercap}.
 *
 * <p>Design note. The powercap tree lists every zone flat: package zones {@code intel-rapl:N} and
 * their subzones {@code intel-rapl:N:M} (core, uncore, dram). A subzone's energy is already part of
 * its package's, so only package zones are summed; a top-level zone whose {@code name} is not
 * {@code package-N} (such as {@code psys}, the whole platform on some laptops, which overlaps the
 * packages) is skipped too, as are {@code intel-rapl-mmio} zones (a second view of the same package).
 * AMD CPUs appear under the same {@code intel-rapl} names with the kernel's RAPL driver. Each zone's
 * {@code energy_uj} is a counter in µJ that wraps to 0 after {@code max_energy_range_uj}; the energy
 * between two readings is their difference, plus the range when the later one is smaller. That is
 * right as long as readings are closer together than one wrap (tens of minutes at full load for the
 * usual 2^32 or 2^38 µJ ranges); the node reads at every heartbeat and request.
 *
 * <p>What this measures is CPU package energy (cores, caches, memory controller; DRAM only where it
 * is a package zone): less than the wall power of the machine, which also feeds disks, fans and the
 * power supply's losses. On most kernels since 5.10, {@code energy_uj} is readable by root only
 * (CVE-2020-8694); an unreadable file makes RAPL "not available" with that reason.
 *
 * <p>Thread-safe: immutable after {@link #open}; each {@link #read()} reads the files afresh.
 */
final class RaplReader {

    /** Where Linux puts the powercap tree. */
    static final Path POWERCAP = Path.of("/sys/class/powercap");

    private static final Pattern PACKAGE_ZONE = Pattern.compile("intel-rapl:\\d+");

    /** One package zone: its name, its counter file and where the counter wraps, µJ. */
    record Zone(String name, Path energyFile, long rangeMicrojoules) {
    }

    /** The counters of every zone at one moment, µJ, in zone order. */
    record Reading(Instant at, long[] microjoules) {
    }

    private final List<Zone> zones;
    private final InstantSource clock;

    private RaplReader(List<Zone> zones, InstantSource clock) {
        this.zones = List.copyOf(zones);
        this.clock = clock;
    }

    /**
     * Finds the package zones under {@code root} and checks that their counters can be read.
     *
     * @param root the powercap folder, {@link #POWERCAP} on a real machine; tests pass a fixture tree
     * @return the reader, or why RAPL is not available here; never throws for a missing or unreadable tree
     */
    static Probe<RaplReader> open(Path root, InstantSource clock) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(clock, "clock");
        if (!Files.isDirectory(root)) {
            return Probe.unavailable(root + " does not exist (no powercap driver: not Linux, or a virtual machine"
                    + " or container without RAPL)");
        }
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(root)) {
            candidates = entries.filter(p -> PACKAGE_ZONE.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return Probe.unavailable("cannot list " + root + ": " + describe(e));
        }
        List<Zone> zones = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path dir : candidates) {
            Path nameFile = dir.resolve("name");
            String name = dir.getFileName().toString();
            if (Files.exists(nameFile)) {
                try {
                    name = Files.readString(nameFile).strip();
                } catch (IOException e) {
                    return Probe.unavailable("cannot read " + nameFile + ": " + describe(e));
                }
                if (!name.startsWith("package")) {
                    // psys and the like overlap the packages; summing them would count twice
                    skipped.add(dir.getFileName() + " (" + name + ")");
                    continue;
                }
            }
            Path energy = dir.resolve("energy_uj");
            Path range = dir.resolve("max_energy_range_uj");
            long max;
            Path reading = energy;
            try {
                readCounter(energy);
                reading = range;
                max = readCounter(range);
            } catch (IOException | NumberFormatException e) {
                return Probe.unavailable(unreadable(reading, e));
            }
            if (max <= 0) {
                return Probe.unavailable(range + " is " + max + "; a counter range must be positive");
            }
            zones.add(new Zone(name, energy, max));
        }
        if (zones.isEmpty()) {
            return Probe.unavailable("no RAPL package zone (intel-rapl:N named package-N) under " + root
                    + (skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped)));
        }
        String detail = zones.size() + " package zone" + (zones.size() == 1 ? "" : "s") + " under " + root + ": "
                + String.join(", ", zones.stream().map(Zone::name).toList())
                + (skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped));
        return Probe.available(new RaplReader(zones, clock), detail);
    }

    List<Zone> zones() {
        return zones;
    }

    /**
     * Reads every zone's counter now.
     *
     * @throws IOException when a counter file cannot be read or holds no number
     */
    Reading read() throws IOException {
        Instant at = clock.instant();
        long[] values = new long[zones.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = readCounter(zones.get(i).energyFile());
            } catch (NumberFormatException e) {
                throw new IOException(zones.get(i).energyFile() + " holds no counter: " + e.getMessage(), e);
            }
        }
        return new Reading(at, values);
    }

    /** Energy used by all package zones from {@code earlier} to {@code later}, J; one wrap of a counter is handled. */
    double joulesBetween(Reading earlier, Reading later) {
        long micro = 0;
        for (int i = 0; i < zones.size(); i++) {
            long a = earlier.microjoules()[i];
            long b = later.microjoules()[i];
            // the counter restarts at 0 after its range: what was left of the range, then what is counted since
            micro += b >= a ? b - a : zones.get(i).rangeMicrojoules() - a + b;
        }
        return micro / 1e6;
    }

    /** Mean power from {@code earlier} to {@code later}, W; NaN when no time passed between them. */
    double wattsBetween(Reading earlier, Reading later) {
        long nanos = Duration.between(earlier.at(), later.at()).toNanos();
        return nanos <= 0 ? Double.NaN : joulesBetween(earlier, later) / (nanos / 1e9);
    }

    /** A cumulative counter over this reader, starting at 0 now. */
    EnergyCounter counter() {
        return new Counter(this);
    }

    private static long readCounter(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static String unreadable(Path file, Exception e) {
        if (e instanceof AccessDeniedException) {
            return "cannot read " + file + ": permission denied (since Linux 5.10 energy_uj is readable by root only;"
                    + " run the node as root, or grant read access, for example with a udev rule or"
                    + " chmod o+r on the energy_uj files)";
        }
        if (e instanceof NoSuchFileException) {
            return file + " does not exist";
        }
        if (e instanceof NumberFormatException) {
            return file + " holds no counter: " + e.getMessage();
        }
        return "cannot read " + file + ": " + describe(e);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
    }

    /** Sums the energy between successive readings; a failed reading adds nothing and is logged once. */
    private static final class Counter implements EnergyCounter {
        private static final System.Logger LOG = System.getLogger(RaplReader.class.getName());

        private final RaplReader reader;
        private Reading last;
        private double joules;
        private boolean failing;

        Counter(RaplReader reader) {
            this.reader = reader;
            try {
                this.last = reader.read();
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public synchronized double joules() {
            Reading now;
            try {
                now = reader.read();
            } catch (IOException e) {
                fail(e);
                return joules;
            }
            if (failing) {
                failing = false;
                LOG.log(System.Logger.Level.INFO, "RAPL counters are readable again");
            }
            if (last != null) {
                joules += reader.joulesBetween(last, now);
            }
            last = now;
            return joules;
        }

        private void fail(IOException e) {
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "RAPL counters cannot be read (" + e.getMessage()
                        + "); measured energy stops growing until they can");
            }
            // the span while unreadable is lost: restart from the next good reading, never guess a wrap
            last = null;
        }
    }
}
