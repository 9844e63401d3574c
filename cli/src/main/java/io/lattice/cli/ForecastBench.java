package io.lattice.cli;

import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.ForecastError;
import io.lattice.core.signal.ForecastEvaluation;
import io.lattice.core.signal.Forecaster;
import io.lattice.core.signal.GridCsv;
import io.lattice.core.signal.TimeSeries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lattice bench forecast}: how far the forecasters are off on recorded grid data.
 *
 * <p>Method: every {@code carbon-*.csv} (Electricity Maps-style, life-cycle column unless {@code --basis})
 * and {@code price-*.csv} (USD/MWh) in the data folder is read with {@link GridCsv}. Each forecaster is
 * scored by {@link ForecastEvaluation} (rolling origin): a forecast {@code --horizon} hours ahead issued every
 * {@code --every} hours after a {@code --warm-up} of days, every forecaster on exactly the same points. The
 * table gives MAE in the series' unit and sMAPE in %. Deterministic: no timing, no randomness.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "MAE and sMAPE of seasonal persistence (1-day, 7-day mean) and the flat baseline on grid CSVs.")
final class ForecastBench implements Callable<Integer> {

    @Mixin
    VerboseOption verbose;

    @Option(names = "--data", defaultValue = "../shared/data/grid", paramLabel = "DIR",
            description = "Folder with carbon-*.csv and price-*.csv (default: ${DEFAULT-VALUE}, from the working directory).")
    Path data;

    @Option(names = "--horizon", defaultValue = "24", paramLabel = "HOURS",
            description = "How far ahead each forecast reaches, in hours (default: ${DEFAULT-VALUE}).")
    int horizonHours;

    @Option(names = "--every", defaultValue = "1", paramLabel = "HOURS",
            description = "Hours between forecast origins (default: ${DEFAULT-VALUE}).")
    int everyHours;

    @Option(names = "--warm-up", defaultValue = "7", paramLabel = "DAYS",
            description = "History before the first forecast, in days; at least 7 for the 7-day mean (default: ${DEFAULT-VALUE}).")
    int warmUpDays;

    @Option(names = "--basis", defaultValue = "LIFECYCLE",
            description = "Carbon column to read: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CarbonBasis basis;

    private static final List<Forecaster> FORECASTERS = List.of(
            Forecaster.seasonalPersistence(),
            Forecaster.seasonalPersistence(7),
            Forecaster.flatMeanOfLastDay());

    /** One file's series and its name for the table, for example {@code carbon-DE-LU-2023}. */
    private record Named(String name, TimeSeries series) {
    }

    @Override
    public Integer call() {
        if (horizonHours < 1 || everyHours < 1) {
            throw new UserError("--horizon and --every must be at least 1 hour");
        }
        if (warmUpDays < 7) {
            throw new UserError("--warm-up must be at least 7 days (the 7-day mean needs them) but was " + warmUpDays);
        }
        Duration horizon = Duration.ofHours(horizonHours);
        Duration every = Duration.ofHours(everyHours);
        Duration warmUp = Duration.ofDays(warmUpDays);
        PrintStream out = System.out;
        PrintStream progress = System.err;

        List<Path> files = files(data);
        List<Named> series = new ArrayList<>(files.size());
        for (Path file : files) {
            series.add(read(file));
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-26s %-10s", "series", "unit"));
        for (Forecaster f : FORECASTERS) {
            header.append(String.format(Locale.ROOT, " %14s %8s", "MAE " + shortName(f), "sMAPE %"));
        }
        header.append("  best (MAE)");

        List<String> rows = new ArrayList<>();
        int seasonalWins = 0;
        for (int i = 0; i < series.size(); i++) {
            Named n = series.get(i);
            progress.printf(Locale.ROOT, "[%d/%d] %s (%d hours)%n", i + 1, series.size(), n.name(), n.series().size());
            List<ForecastError> errors = new ArrayList<>(FORECASTERS.size());
            for (Forecaster f : FORECASTERS) {
                try {
                    errors.add(ForecastEvaluation.evaluate(f, n.series(), horizon, warmUp, every));
                } catch (IllegalArgumentException e) {
                    throw new UserError(n.name() + ": " + e.getMessage());
                }
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-26s %-10s", n.name(), n.series().unit()));
            for (ForecastError e : errors) {
                row.append(String.format(Locale.ROOT, " %14.2f %8.1f", e.mae(), e.smapePercent()));
            }
            ForecastError best = errors.stream().min(Comparator.comparingDouble(ForecastError::mae)).orElseThrow();
            row.append("  ").append(best.forecaster());
            rows.add(row.toString());
            if (Math.min(errors.get(0).mae(), errors.get(1).mae()) < errors.get(2).mae()) {
                seasonalWins++;
            }
        }

        out.printf(Locale.ROOT, "%d h-ahead forecast error, issued every %d h after a %d-day warm-up; MAE in the "
                + "series' unit, sMAPE in %% (carbon: %s basis)%n", horizonHours, everyHours, warmUpDays,
                basis.name().toLowerCase(Locale.ROOT));
        out.println(header);
        rows.forEach(out::println);
        out.printf(Locale.ROOT, "seasonal persistence (1-day or 7-day mean) beats the flat baseline on MAE for %d of "
                + "%d series%n", seasonalWins, series.size());
        return 0;
    }

    private static String shortName(Forecaster f) {
        return switch (f.name()) {
            case "seasonal-persistence-1d" -> "persist-1d";
            case "seasonal-persistence-mean-7d" -> "mean-7d";
            case "flat-mean-of-last-day" -> "flat-1d";
            default -> f.name();
        };
    }

    /** The grid CSVs in {@code dir}, carbon first, then price, each by name. */
    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no grid data folder at " + dir.toAbsolutePath().normalize() + "; give --data DIR, "
                    + "a folder with carbon-*.csv and price-*.csv files (like shared/data/grid)");
        }
        try (Stream<Path> listing = Files.list(dir)) {
            List<Path> files = listing.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return (n.startsWith("carbon-") || n.startsWith("price-")) && n.endsWith(".csv");
                    })
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().startsWith("price-"))
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
            if (files.isEmpty()) {
                throw new UserError("no carbon-*.csv or price-*.csv files in " + dir.toAbsolutePath().normalize());
            }
            return files;
        } catch (IOException e) {
            throw new UserError("cannot list " + dir.toAbsolutePath().normalize() + ": " + e.getMessage());
        }
    }

    private Named read(Path file) {
        String name = file.getFileName().toString();
        return new Named(name.substring(0, name.length() - ".csv".length()),
                GridFiles.read(file, name.startsWith("carbon-"), basis));
    }
}
