package io.lattice.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes powercap trees as Linux lays them out under {@code /sys/class/powercap}: one folder per
 * zone ({@code intel-rapl:0}, subzones {@code intel-rapl:0:0}) with {@code name}, {@code energy_uj}
 * and {@code max_energy_range_uj}. Tests move a counter by rewriting its file.
 */
final class RaplFixture {

    /** The range most Intel packages report, µJ (2^38 µJ, about 262 kJ). */
    static final long RANGE = 262_143_328_850L;

    private final Path root;

    RaplFixture(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            // the control type folder the kernel also puts there; it has no counter of its own
            Files.createDirectories(root.resolve("intel-rapl"));
            Files.writeString(root.resolve("intel-rapl/enabled"), "1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    /** Adds zone {@code dir} (for example {@code intel-rapl:0}) named {@code name}, counter at {@code microjoules}. */
    RaplFixture zone(String dir, String name, long microjoules) {
        return zone(dir, name, microjoules, RANGE);
    }

    RaplFixture zone(String dir, String name, long microjoules, long range) {
        try {
            Path zone = Files.createDirectories(root.resolve(dir));
            Files.writeString(zone.resolve("name"), name + "\n");
            Files.writeString(zone.resolve("max_energy_range_uj"), range + "\n");
            set(dir, microjoules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Sets the counter of zone {@code dir}, µJ. */
    RaplFixture set(String dir, long microjoules) {
        try {
            Files.writeString(root.resolve(dir).resolve("energy_uj"), microjoules + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
