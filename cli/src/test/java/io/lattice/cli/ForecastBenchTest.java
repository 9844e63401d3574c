package io.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lattice bench forecast} on small generated grid files (not the shared data). */
class ForecastBenchTest {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Instant START = Instant.parse("2023-03-01T00:00:00Z");
    private static final int HOURS = 10 * 24;

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A carbon file whose every day is the same: 1-day persistence must be exact. */
    private void writeDailyPeriodicCarbon(String zone) throws Exception {
        StringBuilder csv = new StringBuilder(
                "Datetime (UTC),Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA)\n");
        for (int h = 0; h < HOURS; h++) {
            double lca = 300 + 100 * Math.sin(2 * Math.PI * (h % 24) / 24.0);
            csv.append(TIME.format(START.plusSeconds(3600L * h))).append(',').append(zone).append(',')
                    .append(String.format(Locale.ROOT, "%.2f,%.2f", lca * 0.8, lca)).append('\n');
        }
        Files.writeString(dir.resolve("carbon-" + zone + "-2023.csv"), csv.toString());
    }

    /** A price file with a daily shape, seeded noise and negative hours. */
    private void writeNoisyPrice(String zone, long seed) throws Exception {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("Datetime (UTC),Datetime (Local),Price (USD/MWh)\n");
        for (int h = 0; h < HOURS; h++) {
            String t = TIME.format(START.plusSeconds(3600L * h));
            double price = 60 - 70 * Math.max(0, Math.sin(2 * Math.PI * ((h % 24) - 6) / 24.0)) + 15 * random.nextGaussian();
            csv.append(t).append("+00:00,").append(t).append("+00:00,")
                    .append(String.format(Locale.ROOT, "%.3f", price)).append('\n');
        }
        Files.writeString(dir.resolve("price-" + zone + "-2023.csv"), csv.toString());
    }

    @Test
    void forecastBench_printsMaeWithUnitAndSmapePerSeries() throws Exception {
        writeDailyPeriodicCarbon("XX");
        writeNoisyPrice("YY", 42);
        Files.writeString(dir.resolve("notes.txt"), "not a grid file");

        CliRun run = run("bench", "forecast", "--data", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("24 h-ahead forecast error, issued every 1 h after a 7-day warm-up")
                .containsPattern("(?m)^series +unit +MAE persist-1d +sMAPE % +MAE mean-7d +sMAPE % +MAE flat-1d "
                        + "+sMAPE % +best \\(MAE\\)$")
                .doesNotContain("notes");
        String number = " +(-?\\d+\\.\\d+)";
        Matcher carbon = Pattern.compile("(?m)^carbon-XX-2023 +gCO2e/kWh" + number.repeat(6) + " +(\\S+)$")
                .matcher(run.out());
        assertThat(carbon.find()).as(run.out()).isTrue();
        assertThat(Double.parseDouble(carbon.group(1))).as("same day every day: 1-day persistence is exact").isZero();
        assertThat(Double.parseDouble(carbon.group(5))).as("the flat baseline misses the daily swing").isGreaterThan(50);
        assertThat(carbon.group(7)).isEqualTo("seasonal-persistence-1d");

        Matcher price = Pattern.compile("(?m)^price-YY-2023 +USD/MWh" + number.repeat(6) + " +(\\S+)$")
                .matcher(run.out());
        assertThat(price.find()).as(run.out()).isTrue();
        double persist = Double.parseDouble(price.group(1));
        double mean7 = Double.parseDouble(price.group(3));
        // with independent noise, averaging 7 days cuts the error of taking one day's values
        assertThat(mean7).isLessThan(persist);
        assertThat(Double.parseDouble(price.group(4))).as("sMAPE is a percentage").isBetween(0.0, 200.0);

        assertThat(run.out().indexOf("carbon-XX")).as("carbon rows first").isLessThan(run.out().indexOf("price-YY"));
        assertThat(run.out()).contains("beats the flat baseline on MAE for 2 of 2 series");
        assertThat(run.err()).contains("[1/2] carbon-XX-2023 (240 hours)").contains("[2/2] price-YY-2023");
    }

    @Test
    void forecastBench_withoutTheDataFolder_saysWhereItLookedAndWhatToGive() {
        CliRun run = run("bench", "forecast", "--data", dir.resolve("missing").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no grid data folder at").contains("missing").contains("--data DIR")
                .doesNotContain("Exception");
    }

    @Test
    void forecastBench_withABrokenFile_namesTheFileAndLine() throws Exception {
        Files.writeString(dir.resolve("price-ZZ-2023.csv"),
                "Datetime (UTC),Price (USD/MWh)\n2023-01-01 00:00:00+00:00,12.5\n2023-01-01 01:00:00+00:00,n/a\n");

        CliRun run = run("bench", "forecast", "--data", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("price-ZZ-2023.csv").contains("3");
    }
}
