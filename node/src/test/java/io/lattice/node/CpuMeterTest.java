package io.lattice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMeterTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    private Path stat(long user, long system, long idle, long iowait) throws IOException {
        Path file = dir.resolve("stat");
        Files.writeString(file, "cpu  " + user + " 0 " + system + " " + idle + " " + iowait + " 0 0 0 0 0\n"
                + "cpu0 1 2 3 4 5 6 7 8 9 10\nintr 12345\n");
        return file;
    }

    @Test
    void busyShare_isNonIdleJiffiesSinceThePreviousReading() throws IOException {
        Path file = stat(100, 100, 700, 100);
        CpuMeter meter = new CpuMeter(file, clock);
        assertThat(meter.busyShare().orElseThrow()).isCloseTo(0.2, within(1e-9));

        stat(100 + 300, 100 + 100, 700 + 100, 100);
        clock.advance(Duration.ofSeconds(1));
        // 400 busy of 500 since the last reading
        assertThat(meter.busyShare().orElseThrow()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void busyShare_readingsTooCloseTogether_reuseTheLastShare() throws IOException {
        Path file = stat(100, 100, 700, 100);
        CpuMeter meter = new CpuMeter(file, clock);
        meter.busyShare();
        stat(1000, 100, 700, 100);
        clock.advance(Duration.ofMillis(100));
        assertThat(meter.busyShare().orElseThrow()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void busyShare_withoutProcStat_isEmpty() {
        CpuMeter meter = new CpuMeter(dir.resolve("missing"), clock);
        assertThat(meter.busyShare()).isEmpty();
    }

    @Test
    void busyShare_onThisMachine_isAShare() {
        CpuMeter meter = new CpuMeter(CpuMeter.PROC_STAT, clock);
        if (Files.isReadable(CpuMeter.PROC_STAT)) {
            assertThat(meter.busyShare().orElseThrow()).isBetween(0.0, 1.0);
        }
    }
}
