package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RAPL reader on powercap fixture trees: watts from two readings, wrap-around, zones and failures. */
class RaplReaderTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    private RaplReader open(RaplFixture tree) {
        Probe<RaplReader> probe = RaplReader.open(tree.root(), clock);
        assertThat(probe.isAvailable()).as(probe.detail()).isTrue();
        return probe.value();
    }

    @Test
    void twoReadings_giveMeanWattsOverTheInjectedClock() throws IOException {
        RaplFixture tree = new RaplFixture(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 1_000_000);
        RaplReader rapl = open(tree);
        RaplReader.Reading first = rapl.read();

        tree.set("intel-rapl:0", 51_000_000);
        clock.advance(Duration.ofSeconds(2));
        RaplReader.Reading second = rapl.read();

        // 50 J in 2 s
        assertThat(rapl.joulesBetween(first, second)).isCloseTo(50.0, within(1e-9));
        assertThat(rapl.wattsBetween(first, second)).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void counterThatWrapped_addsWhatWasLeftOfItsRange() throws IOException {
        long range = 4_294_967_295L;
        RaplFixture tree = new RaplFixture(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", range - 1_000_000, range);
        RaplReader rapl = open(tree);
        RaplReader.Reading before = rapl.read();

        tree.set("intel-rapl:0", 4_000_000);
        clock.advance(Duration.ofSeconds(1));
        RaplReader.Reading after = rapl.read();

        // 1 J to the top of the range, then 4 J after the restart at 0
        assertThat(rapl.joulesBetween(before, after)).isCloseTo(5.0, within(1e-9));
        assertThat(rapl.wattsBetween(before, after)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void packagesAreSummed_subzonesPsysAndMmioAreNotCountedAgain() throws IOException {
        RaplFixture tree = new RaplFixture(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 0)
                .zone("intel-rapl:0:0", "core", 0)
                .zone("intel-rapl:0:1", "dram", 0)
                .zone("intel-rapl:1", "package-1", 0)
                .zone("intel-rapl:1:0", "core", 0)
                .zone("intel-rapl:2", "psys", 0)
                .zone("intel-rapl-mmio:0", "package-0", 0);
        Probe<RaplReader> probe = RaplReader.open(tree.root(), clock);
        RaplReader rapl = probe.value();
        assertThat(rapl.zones()).extracting(RaplReader.Zone::name).containsExactly("package-0", "package-1");
        assertThat(probe.detail()).contains("2 package zones", "skipped intel-rapl:2 (psys)");
        RaplReader.Reading before = rapl.read();

        tree.set("intel-rapl:0", 30_000_000).set("intel-rapl:0:0", 20_000_000).set("intel-rapl:0:1", 5_000_000)
                .set("intel-rapl:1", 10_000_000).set("intel-rapl:1:0", 8_000_000)
                .set("intel-rapl:2", 90_000_000).set("intel-rapl-mmio:0", 30_000_000);
        clock.advance(Duration.ofSeconds(1));

        // the two packages only: 30 J + 10 J
        assertThat(rapl.joulesBetween(before, rapl.read())).isCloseTo(40.0, within(1e-9));
    }

    @Test
    void unreadableCounter_isNotAvailable_namingTheFile() throws IOException {
        RaplFixture tree = new RaplFixture(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0);
        Path energy = tree.root().resolve("intel-rapl:0/energy_uj");
        // root reads any file whatever its mode (tests run as root here), so make the read itself fail
        Files.delete(energy);
        Files.createDirectory(energy);

        Probe<RaplReader> probe = RaplReader.open(tree.root(), clock);

        assertThat(probe.isAvailable()).isFalse();
        assertThat(probe.detail()).contains("cannot read", energy.toString());
    }

    @Test
    void counterWithoutANumber_isNotAvailable() throws IOException {
        RaplFixture tree = new RaplFixture(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0);
        Files.writeString(tree.root().resolve("intel-rapl:0/energy_uj"), "n/a\n");
        Probe<RaplReader> probe = RaplReader.open(tree.root(), clock);
        assertThat(probe.isAvailable()).isFalse();
        assertThat(probe.detail()).contains("energy_uj holds no counter");
    }

    @Test
    void missingTree_orNoPackageZone_isNotAvailable_sayingWhy() {
        Probe<RaplReader> missing = RaplReader.open(dir.resolve("nowhere"), clock);
        assertThat(missing.isAvailable()).isFalse();
        assertThat(missing.detail()).contains("does not exist");

        RaplFixture onlyPsys = new RaplFixture(dir.resolve("psys-only")).zone("intel-rapl:0", "psys", 0);
        Probe<RaplReader> none = RaplReader.open(onlyPsys.root(), clock);
        assertThat(none.isAvailable()).isFalse();
        assertThat(none.detail()).contains("no RAPL package zone", "skipped intel-rapl:0 (psys)");
    }

    @Test
    void counter_accumulatesAcrossWraps_andSkipsASpanItCouldNotRead() throws IOException {
        long range = 100_000_000;
        RaplFixture tree = new RaplFixture(dir.resolve("powercap"))
                .zone("intel-rapl:0", "package-0", 90_000_000, range);
        EnergyCounter counter = open(tree).counter();
        assertThat(counter.joules()).isZero();

        tree.set("intel-rapl:0", 95_000_000);
        assertThat(counter.joules()).isCloseTo(5.0, within(1e-9));
        tree.set("intel-rapl:0", 3_000_000); // wrapped: 5 J to the top, 3 J after
        assertThat(counter.joules()).isCloseTo(13.0, within(1e-9));

        Path energy = tree.root().resolve("intel-rapl:0/energy_uj");
        Files.delete(energy);
        assertThat(counter.joules()).as("an unreadable counter adds nothing").isCloseTo(13.0, within(1e-9));
        tree.set("intel-rapl:0", 50_000_000);
        assertThat(counter.joules()).as("the first reading after the gap is a new start")
                .isCloseTo(13.0, within(1e-9));
        tree.set("intel-rapl:0", 52_000_000);
        assertThat(counter.joules()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void thisMachine_eitherReadsRaplOrSaysWhyNot() {
        Probe<RaplReader> probe = RaplReader.open(RaplReader.POWERCAP, clock);
        // where Lattice is built there is no /sys/class/powercap; elsewhere the zones must be readable packages
        if (probe.isAvailable()) {
            assertThat(probe.value().zones()).isNotEmpty().allSatisfy(z -> assertThat(z.name()).startsWith("package"));
        } else {
            assertThat(probe.detail()).isNotBlank();
        }
    }
}
