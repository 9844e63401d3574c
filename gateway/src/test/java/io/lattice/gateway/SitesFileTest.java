package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lattice.core.energy.SiteConditions;
import io.lattice.core.signal.SignalKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SitesFileTest {

    private static final Instant NOW = Instant.parse("2026-01-15T03:00:00Z");
    private static final Path SHARED = Path.of("../../shared/data");

    @TempDir
    Path tmp;

    private static final String GENERATED = """
            sites:
              - id: brittany
                name: Greenhouse in Brittany
                country: FR
                region: FR-BRE
                lat: 48.2
                lon: -3.0
                pue: 1.1
                wue: 0.2
                power-limit-kw: 20
                heat-value-usd-per-kwh: 0.08
                signals:
                  generated:
                    carbon: {base: 45}
                    price: {preset: central-europe, base: 110}
                    pv-peak-kw: 5
                    heat-demand-kw-th: {day: 8, night: 25}
              - id: edge
                country: DE
                lat: 50.1
                lon: 8.7
                pue: 1.4
                heat-value-usd-per-kwh: none
                signals:
                  generated:
                    carbon: {preset: central-europe}
                    price: {base: 100}
            """;

    private static List<GatewaySite> parse(String yaml) {
        return SitesFile.parse(yaml, "sites.yaml", Path.of("."), NOW);
    }

    @Test
    void generatedSites_haveTheirContextAndSignalsWithoutFiles() {
        List<GatewaySite> sites = parse(GENERATED);

        assertThat(sites).extracting(GatewaySite::id).containsExactly("brittany", "edge");
        GatewaySite b = sites.getFirst();
        assertThat(b.name()).isEqualTo("Greenhouse in Brittany");
        assertThat(b.site().jurisdiction().code()).isEqualTo("FR-BRE");
        assertThat(b.site().gridZone()).isEqualTo("FR");
        assertThat(b.site().pue()).isEqualTo(1.1);
        assertThat(b.site().powerLimitKw()).isEqualTo(20);
        assertThat(b.site().heatSink().valueUsdPerKwhTh()).isEqualTo(0.08);
        assertThat(b.signals().kinds()).contains(SignalKind.CARBON_INTENSITY, SignalKind.PRICE, SignalKind.GENERATION,
                SignalKind.HEAT_DEMAND);
        // 03:00 UTC is night in Brittany: the night heat demand, no PV, the flat carbon base
        SiteConditions c = new SiteBook(sites, null).conditions(b, NOW, 0.1);
        assertThat(c.heatDemandKwTh()).isEqualTo(25);
        assertThat(c.onsiteGenerationKw()).isZero();
        assertThat(c.carbonIntensityGPerKwh()).isCloseTo(45, within(1e-9));
        assertThat(c.siteItDrawKw()).isEqualTo(0.1);
        assertThat(c.estimated()).isFalse();
        GatewaySite edge = sites.get(1);
        assertThat(edge.site().heatSink().isNone()).isTrue();
        assertThat(edge.site().powerLimitKw()).isInfinite();
        // the same instant a year later reads the same hour of the year
        assertThat(new SiteBook(sites, null).conditions(b, NOW.plusSeconds(365L * 86400), 0).heatDemandKwTh())
                .isEqualTo(25);
    }

    @Test
    void badPue_namesFileFieldValueAndRule() {
        assertThatThrownBy(() -> parse(GENERATED.replace("pue: 1.4", "pue: 0.9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sites.yaml").hasMessageContaining("sites[1]").hasMessageContaining("pue")
                .hasMessageContaining("0.9").hasMessageContaining(">= 1");
    }

    @Test
    void unknownField_isNamedInsteadOfIgnored() {
        assertThatThrownBy(() -> parse(GENERATED.replace("wue: 0.2", "wue: 0.2\n    pue-typo: 3")))
                .hasMessageContaining("sites.yaml: sites[0].pue-typo = 3: is not a known field");
    }

    @Test
    void missingCarbonShape_andBadJurisdiction_areNamed() {
        assertThatThrownBy(() -> parse(GENERATED.replace("carbon: {base: 45}", "")))
                .hasMessageContaining("sites[0].signals.generated.carbon").hasMessageContaining("is required");
        assertThatThrownBy(() -> parse(GENERATED.replace("region: FR-BRE", "region: DE-BY")))
                .hasMessageContaining("sites[0].region = DE-BY").hasMessageContaining("must lie in country FR");
        assertThatThrownBy(() -> parse(GENERATED.replace("country: DE", "country: Germany")))
                .hasMessageContaining("sites[1].country = Germany").hasMessageContaining("ISO 3166");
    }

    @Test
    void duplicateIds_andMissingFiles_areNamed() throws Exception {
        assertThatThrownBy(() -> parse(GENERATED.replace("id: edge", "id: brittany")))
                .hasMessageContaining("sites[1].id = brittany: site ids must be unique");
        Path file = tmp.resolve("sites.yaml");
        Files.writeString(file, """
                sites:
                  - id: x
                    country: DE
                    lat: 50
                    lon: 8
                    pue: 1.2
                    signals:
                      carbon: grid/missing.csv
                      price: grid/missing.csv
                """);
        assertThatThrownBy(() -> SitesFile.load(file, NOW))
                .hasMessageContaining(file.toString()).hasMessageContaining("sites[0].signals.carbon = grid/missing.csv")
                .hasMessageContaining("no such file");
    }

    @Test
    void recordedFiles_areMappedByHourOfYear() throws Exception {
        Path grid = SHARED.resolve("grid");
        Assumptions.assumeTrue(Files.isRegularFile(grid.resolve("carbon-DE-LU-2023.csv")), "shared data present");
        Path file = tmp.resolve("sites.yaml");
        Files.writeString(file, """
                sites:
                  - id: frankfurt
                    country: DE
                    lat: 50.1
                    lon: 8.7
                    pue: 1.3
                    signals:
                      carbon: %s
                      price: %s
                """.formatted(grid.resolve("carbon-DE-LU-2023.csv").toAbsolutePath(),
                grid.resolve("price-DE-LU-2023.csv").toAbsolutePath()));

        GatewaySite site = SitesFile.load(file, NOW).getFirst();

        // 2026-01-15T03:00Z reads the 2023 file's 15 January 03:00 UTC row
        double carbon = site.signals().read(SignalKind.CARBON_INTENSITY, NOW).orElseThrow().value();
        String row = Files.readAllLines(grid.resolve("carbon-DE-LU-2023.csv")).stream()
                .filter(l -> l.startsWith("2023-01-15 03:00")).findFirst().orElseThrow();
        assertThat(carbon).isEqualTo(Double.parseDouble(row.split(",")[5])); // the life-cycle (LCA) column
        assertThat(site.signals().read(SignalKind.PRICE, NOW)).isPresent();
    }
}
