package io.lattice.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GridCsvTest {

    private static final String CARBON_HEADER = "Datetime (UTC),Country,Zone Name,Zone Id,"
            + "Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,"
            + "Renewable Percentage,Data Source,Data Estimated,Data Estimation Method\n";
    private static final String PRICE_HEADER = "Datetime (UTC),Datetime (Local),Price (USD/MWh)\n";

    private static TimeSeries carbon(String csv, CarbonBasis basis) {
        return GridCsv.parseCarbon(new StringReader(csv), "carbon.csv", basis);
    }

    private static TimeSeries price(String csv) {
        return GridCsv.parsePrice(new StringReader(csv), "price.csv");
    }

    @Test
    void parseCarbon_readsTheChosenColumnAsUtcHours() {
        String csv = CARBON_HEADER
                + "2023-01-01 00:00:00,Germany,Germany,DE,140.51,185.8,83.79,78.42,entsoe.eu,false,\n"
                + "2023-01-01 01:00:00,Germany,Germany,DE,140.44,185.7,83.85,78.93,\"entsoe.eu, estimated\",true,X\n";

        TimeSeries lca = carbon(csv, CarbonBasis.LIFECYCLE);
        TimeSeries direct = carbon(csv, CarbonBasis.DIRECT);

        assertThat(lca.start()).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
        assertThat(lca.unit()).isEqualTo("gCO2e/kWh");
        assertThat(lca.values()).containsExactly(185.8, 185.7);
        assertThat(direct.values()).containsExactly(140.51, 140.44);
        assertThat(GridCsv.parseCarbon(new StringReader(csv), "c")).isEqualTo(lca);
    }

    @Test
    void parseCarbon_findsColumnsByNameInAnyOrderAndSpelling() {
        String csv = "\uFEFFcarbon intensity gCO2eq/kWh (Life cycle),Datetime (UTC)\n"
                + "100,2023-06-01T12:00:00Z\n"
                + "110,2023-06-01T13:00:00Z\n\n";
        TimeSeries s = carbon(csv, CarbonBasis.LIFECYCLE);
        assertThat(s.start()).isEqualTo(Instant.parse("2023-06-01T12:00:00Z"));
        assertThat(s.values()).containsExactly(100, 110);
    }

    @Test
    void parseCarbon_badNumberNamesLineAndColumn() {
        String csv = CARBON_HEADER
                + "2023-01-01 00:00:00,Germany,Germany,DE,140.51,185.8,83.79,78.42,entsoe.eu,false,\n"
                + "2023-01-01 01:00:00,Germany,Germany,DE,140.44,NaN,83.85,78.93,entsoe.eu,false,\n";
        assertThatThrownBy(() -> carbon(csv, CarbonBasis.LIFECYCLE))
                .isInstanceOfSatisfying(SignalFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(6);
                    assertThat(e.source()).isEqualTo("carbon.csv");
                })
                .hasMessage("carbon.csv line 3, column 6: Carbon Intensity gCO₂eq/kWh (LCA) is not a finite "
                        + "number: 'NaN'");
        // the same file is fine when the bad column is not the one read
        assertThat(carbon(csv, CarbonBasis.DIRECT).size()).isEqualTo(2);
    }

    @Test
    void parseCarbon_rejectsEmptyAndNegativeValues() {
        assertThatThrownBy(() -> carbon(CARBON_HEADER + "2023-01-01 00:00:00,G,G,DE,1,,1,1,x,false,\n",
                CarbonBasis.LIFECYCLE))
                .hasMessage("carbon.csv line 2, column 6: Carbon Intensity gCO₂eq/kWh (LCA) is empty");
        assertThatThrownBy(() -> carbon(CARBON_HEADER + "2023-01-01 00:00:00,G,G,DE,-1,1,1,1,x,false,\n",
                CarbonBasis.DIRECT))
                .hasMessageContaining("line 2, column 5").hasMessageContaining("must be >= 0 but was -1.0");
    }

    @Test
    void parseCarbon_gapOrRepeatIsAnErrorNamingTheLine() {
        String gap = CARBON_HEADER
                + "2023-01-01 00:00:00,G,G,DE,1,1,1,1,x,false,\n"
                + "2023-01-01 01:00:00,G,G,DE,1,1,1,1,x,false,\n"
                + "2023-01-01 03:00:00,G,G,DE,1,1,1,1,x,false,\n";
        assertThatThrownBy(() -> carbon(gap, CarbonBasis.LIFECYCLE))
                .isInstanceOf(SignalFormatException.class)
                .hasMessageContaining("line 4, column 1: expected 2023-01-01T02:00:00Z")
                .hasMessageContaining("found 2023-01-01T03:00:00Z");
        String repeat = CARBON_HEADER
                + "2023-01-01 00:00:00,G,G,DE,1,1,1,1,x,false,\n"
                + "2023-01-01 00:00:00,G,G,DE,1,1,1,1,x,false,\n";
        assertThatThrownBy(() -> carbon(repeat, CarbonBasis.LIFECYCLE)).hasMessageContaining("line 3, column 1");
    }

    @Test
    void parse_structuralErrorsSayWhatIsMissing() {
        assertThatThrownBy(() -> carbon("", CarbonBasis.LIFECYCLE))
                .hasMessage("carbon.csv line 1: empty input; expected a CSV header");
        assertThatThrownBy(() -> carbon(CARBON_HEADER, CarbonBasis.LIFECYCLE))
                .hasMessage("carbon.csv line 1: header but no data rows");
        assertThatThrownBy(() -> carbon("Datetime (UTC),Carbon Intensity gCO₂eq/kWh (direct)\n", CarbonBasis.LIFECYCLE))
                .hasMessageContaining("no 'Carbon Intensity gCO₂eq/kWh (LCA)' column");
        assertThatThrownBy(() -> price("Time,Price (USD/MWh)\n"))
                .hasMessageContaining("no 'Datetime (UTC)' column");
        assertThatThrownBy(() -> price(PRICE_HEADER + "2023-01-01 00:00:00+00:00,x\n"))
                .hasMessageContaining("line 2").hasMessageContaining("column 3 is missing");
        assertThatThrownBy(() -> price(PRICE_HEADER + "yesterday,x,1\n"))
                .hasMessageContaining("line 2, column 1: not a timestamp");
        assertThatThrownBy(() -> price(PRICE_HEADER + "2023-01-01 00:00:00+00:00,\"x,1\n"))
                .hasMessageContaining("line 2, column 2: unterminated quoted field");
    }

    @Test
    void parsePrice_keepsNegativePricesAndReadsOffsets() {
        String csv = PRICE_HEADER
                + "2023-01-01 00:00:00+00:00,2023-01-01 01:00:00+01:00,-3.3622368\n"
                + "2023-01-01 01:00:00+00:00,2023-01-01 02:00:00+01:00,1e2\n";
        TimeSeries s = price(csv);
        assertThat(s.unit()).isEqualTo("USD/MWh");
        assertThat(s.values()).containsExactly(-3.3622368, 100);
    }

    @Test
    void parsePrice_rejectsOtherCurrenciesInsteadOfConverting() {
        assertThatThrownBy(() -> price("Datetime (UTC),Price (EUR/MWh)\n2023-01-01 00:00:00+00:00,1\n"))
                .hasMessageContaining("prices must be in USD/MWh");
    }

    @Test
    void parsePrice_rejectsNumbersJavaWouldAcceptButCsvShouldNot() {
        for (String bad : new String[] {"Infinity", "0x1p3", "12d", "1,5"}) {
            String csv = PRICE_HEADER + "2023-01-01 00:00:00+00:00,l,\"" + bad + "\"\n";
            assertThatThrownBy(() -> price(csv)).as(bad)
                    .hasMessageContaining("line 2, column 3").hasMessageContaining("not a finite number");
        }
    }

    // ---- the real 2023 files ----

    @Test
    void realCarbonFiles_haveAYearOfHoursInUtcForEveryZone() {
        for (String zone : SharedData.CARBON_ZONES) {
            TimeSeries lca = SharedData.carbon(zone, CarbonBasis.LIFECYCLE);
            TimeSeries direct = SharedData.carbon(zone, CarbonBasis.DIRECT);
            assertThat(lca.size()).as(zone).isEqualTo(8_760);
            assertThat(lca.start()).as(zone).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
            assertThat(lca.end()).as(zone).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
            // life-cycle includes everything direct does, plus construction and fuel supply
            for (int i = 0; i < lca.size(); i++) {
                assertThat(lca.get(i)).as(zone + " hour " + i).isGreaterThanOrEqualTo(direct.get(i));
            }
        }
    }

    @Test
    void realCarbonGermany_meanIsPlausibleAndTheFirstRowsMatchTheFile() {
        TimeSeries lca = SharedData.carbon("DE-LU", CarbonBasis.LIFECYCLE);
        TimeSeries direct = SharedData.carbon("DE-LU", CarbonBasis.DIRECT);
        // Germany 2023: roughly 300-450 gCO2e/kWh life-cycle; less direct
        assertThat(lca.mean().orElseThrow()).isBetween(300.0, 450.0);
        assertThat(lca.mean().orElseThrow()).isCloseTo(367.0, within(1.0));
        assertThat(direct.mean().orElseThrow()).isCloseTo(307.7, within(1.0));
        assertThat(lca.valueAt(Instant.parse("2023-01-01T00:30:00Z"))).isEqualTo(185.8);
        assertThat(direct.valueAt(Instant.parse("2023-12-31T23:00:00Z"))).isEqualTo(133.89);
    }

    @Test
    void realPriceFiles_haveAYearOfHoursAndKeepNegativePrices() {
        for (String zone : SharedData.PRICE_ZONES) {
            TimeSeries p = SharedData.price(zone);
            assertThat(p.size()).as(zone).isEqualTo(8_760);
            assertThat(p.start()).as(zone).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
            assertThat(p.unit()).isEqualTo("USD/MWh");
        }
        TimeSeries de = SharedData.price("DE-LU");
        assertThat(de.stream().filter(v -> v < 0).count()).isEqualTo(292);
        assertThat(de.get(0)).isEqualTo(-3.3622368);
        assertThat(de.min().orElseThrow()).isCloseTo(-484.40, within(0.01));
        assertThat(SharedData.price("FR").stream().filter(v -> v < 0).count()).isEqualTo(138);
        assertThat(SharedData.price("US-CAL-CISO").stream().filter(v -> v < 0).count()).isEqualTo(149);
        assertThat(SharedData.price("ES").min().orElseThrow()).isZero();
    }
}
