package io.lattice.cli;

import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.GridCsv;
import io.lattice.core.signal.SignalFormatException;
import io.lattice.core.signal.TimeSeries;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the hourly grid CSVs for the benchmarks; a bad or unreadable file is a one-line user error. */
final class GridFiles {

    private GridFiles() {
    }

    /**
     * @param carbon true for a {@code carbon-*.csv} (gCO2e/kWh, in {@code basis}), false for a
     *               {@code price-*.csv} (USD/MWh)
     */
    static TimeSeries read(Path file, boolean carbon, CarbonBasis basis) {
        String name = file.getFileName().toString();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return carbon ? GridCsv.parseCarbon(r, name, basis) : GridCsv.parsePrice(r, name);
        } catch (SignalFormatException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot read " + file.toAbsolutePath().normalize() + ": " + e.getMessage());
        }
    }
}
