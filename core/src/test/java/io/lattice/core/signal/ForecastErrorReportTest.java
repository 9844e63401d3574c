package io.lattice.core.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scores the forecasters on every shared 2023 carbon and price series and prints the table (the
 * report the issue asks for). Day-ahead setting: a 24 h forecast issued every hour after a 7-day
 * warm-up, all forecasters on the same points. Asserts what must hold on any data — finite errors,
 * identical points — and, for this fixed data, that seasonal persistence (1-day or 7-day mean)
 * beats the flat baseline on every series, pinning by name the one series where the 1-day variant
 * alone does not. Deterministic: no timing, no randomness.
 */
class ForecastErrorReportTest {

    private static final Duration HORIZON = Duration.ofHours(24);
    private static final Duration WARM_UP = Duration.ofDays(7);
    private static final Duration EVERY = Duration.ofHours(1);

    private static final List<Forecaster> FORECASTERS = List.of(
            Forecaster.seasonalPersistence(),
            Forecaster.seasonalPersistence(7),
            Forecaster.flatMeanOfLastDay());

    @Test
    void forecastErrorOnTheShared2023Data() {
        Map<String, TimeSeries> series = new LinkedHashMap<>();
        for (String zone : SharedData.CARBON_ZONES) {
            series.put("carbon " + zone, SharedData.carbon(zone, CarbonBasis.LIFECYCLE));
        }
        for (String zone : SharedData.PRICE_ZONES) {
            series.put("price " + zone, SharedData.price(zone));
        }

        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n24 h-ahead forecast error, 2023, issued hourly after a 7-day warm-up (MAE in the series' unit; "
                        + "sMAPE %%)%n%-22s %-10s %10s %9s %10s %9s %10s %9s  %s%n",
                "series", "unit", "persist-1d", "sMAPE", "mean-7d", "sMAPE", "flat-1d", "sMAPE", "best"));
        List<String> persistenceLoses = new ArrayList<>();
        series.forEach((name, s) -> {
            List<ForecastError> errors = FORECASTERS.stream()
                    .map(f -> ForecastEvaluation.evaluate(f, s, HORIZON, WARM_UP, EVERY))
                    .toList();
            for (ForecastError e : errors) {
                assertThat(e.points()).as(name).isEqualTo(errors.getFirst().points());
                assertThat(List.of(e.mae(), e.rmse(), e.smapePercent(), e.bias())).as(name + " " + e.forecaster())
                        .allMatch(Double::isFinite);
            }
            ForecastError p1 = errors.get(0);
            ForecastError p7 = errors.get(1);
            ForecastError flat = errors.get(2);
            ForecastError best = errors.stream().min((a, b) -> Double.compare(a.mae(), b.mae())).orElseThrow();
            table.append(String.format(Locale.ROOT, "%-22s %-10s %10.1f %9.1f %10.1f %9.1f %10.1f %9.1f  %s%n",
                    name, s.unit(), p1.mae(), p1.smapePercent(), p7.mae(), p7.smapePercent(), flat.mae(),
                    flat.smapePercent(), best.forecaster()));
            if (p1.mae() >= flat.mae()) {
                persistenceLoses.add(name);
            }
            // averaging the same hour over a week beats the flat baseline on every 2023 series
            // one of the two seasonal variants beats the flat baseline on every 2023 series
            assertThat(Math.min(p1.mae(), p7.mae())).as(name + ": best seasonal persistence vs flat")
                    .isLessThan(flat.mae());
        });
        table.append("seasonal-persistence-1d does not beat flat-mean-of-last-day on MAE for: ")
                .append(persistenceLoses.isEmpty() ? "none" : String.join(", ", persistenceLoses)).append('\n');
        System.out.print(table);
        // the honest finding, pinned so a change in the data or the code shows up here
        assertThat(persistenceLoses).as("series where yesterday's same hour loses to yesterday's mean")
                .containsExactlyInAnyOrderElementsOf(EXPECTED_PERSISTENCE_LOSES);
    }

    /**
     * Texas carbon: 60.9 vs 59.5 gCO2e/kWh. ERCOT's intensity follows wind, which comes in
     * multi-day spells with no steady daily shape, so yesterday's level says more than yesterday's
     * hours; the 7-day seasonal mean (59.0) edges out both.
     */
    private static final List<String> EXPECTED_PERSISTENCE_LOSES = List.of("carbon US-TEX-ERCO");

    /**
     * Why {@link FallbackRule#HOURLY} reuses a stale value for up to 3 h and then switches to the
     * forecast: MAE of "the last value" versus "the same hour yesterday" by lead time.
     */
    @Test
    void lastValueBeatsSameHourYesterdayOnlyAtShortLeads() {
        int[] leads = {1, 2, 3, 4, 6, 12};
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nMAE of last value / same hour yesterday, by lead (h)%n%-22s", "series"));
        for (int lead : leads) {
            table.append(String.format(Locale.ROOT, " %15s", "h=" + lead));
        }
        table.append('\n');
        int[] lastWins = new int[leads.length];
        int count = 0;
        Map<String, TimeSeries> series = new LinkedHashMap<>();
        for (String zone : SharedData.CARBON_ZONES) {
            series.put("carbon " + zone, SharedData.carbon(zone, CarbonBasis.LIFECYCLE));
        }
        for (String zone : SharedData.PRICE_ZONES) {
            series.put("price " + zone, SharedData.price(zone));
        }
        for (Map.Entry<String, TimeSeries> e : series.entrySet()) {
            TimeSeries s = e.getValue();
            table.append(String.format(Locale.ROOT, "%-22s", e.getKey()));
            for (int k = 0; k < leads.length; k++) {
                int lead = leads[k];
                double last = 0;
                double seasonal = 0;
                int n = 0;
                for (int t = 24; t + lead - 1 < s.size(); t++) { // t: first unseen hour; target t + lead − 1
                    double actual = s.get(t + lead - 1);
                    last += Math.abs(actual - s.get(t - 1));
                    seasonal += Math.abs(actual - s.get(t + lead - 1 - 24));
                    n++;
                }
                table.append(String.format(Locale.ROOT, " %7.1f/%-7.1f", last / n, seasonal / n));
                if (last < seasonal) {
                    lastWins[k]++;
                }
            }
            table.append('\n');
            count++;
        }
        table.append(String.format(Locale.ROOT, "%-22s", "last value better in"));
        for (int wins : lastWins) {
            table.append(String.format(Locale.ROOT, " %15s", wins + "/" + count));
        }
        System.out.println(table);
        assertThat(lastWins[0]).as("at 1 h the last value wins everywhere").isEqualTo(count);
        assertThat(lastWins[1]).as("at 2 h it still wins on most series").isGreaterThan(count / 2);
        assertThat(lastWins[5]).as("at 12 h the daily shape matters more").isLessThan(count);
    }
}
