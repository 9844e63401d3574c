package io.lattice.core.signal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared real-data folder for tests: the system property {@code lattice.data.dir} when
 * set (then it must exist), else the first {@code shared/data} found walking up from the working
 * directory (the repository's sibling {@code ../shared/data}). Tests that need it are skipped, with
 * a message saying where it was looked for, only when the folder is absent; a file that fails to
 * parse fails the test.
 */
final class SharedData {

    private SharedData() {
    }

    /** The data folder; skips the calling test when it is absent. */
    static Path dir() {
        String property = System.getProperty("lattice.data.dir");
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("-Dlattice.data.dir=" + property + " is not a directory");
            }
            return p;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("grid"))) {
                return candidate;
            }
        }
        assumeTrue(false, "shared data folder not found: no shared/data/grid above " + start
                + " and -Dlattice.data.dir is not set; skipping the real-data test");
        throw new AssertionError("unreachable");
    }

    /** A file under the data folder, which must exist once the folder does. */
    static Path file(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("the shared data folder is there but " + p + " is missing");
        }
        return p;
    }

    static Reader open(String relative) {
        try {
            return Files.newBufferedReader(file(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TimeSeries carbon(String zone, CarbonBasis basis) {
        String name = "grid/carbon-" + zone + "-2023.csv";
        try (Reader r = open(name)) {
            return GridCsv.parseCarbon(r, name, basis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TimeSeries price(String zone) {
        String name = "grid/price-" + zone + "-2023.csv";
        try (Reader r = open(name)) {
            return GridCsv.parsePrice(r, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Weather weather(String zone) {
        String name = "weather/weather-" + zone + "-2023.json";
        try (Reader r = open(name)) {
            return Weather.parseOpenMeteo(r, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String[] CARBON_ZONES = {"DE-LU", "GB", "US-CAL-CISO", "US-TEX-ERCO", "SG"};
    static final String[] PRICE_ZONES = {"DE-LU", "ES", "FR", "US-CAL-CISO", "US-TEX-ERCO", "SG"};
}
