package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lattice.core.ModelCapability;
import io.lattice.core.ModelEnergy;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import io.lattice.core.energy.EnergyProfile;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiteBookTest {

    private static final ServedModel TINY = new ServedModel("tiny", Set.of(ModelCapability.CHAT), "gguf");

    private static NodeTelemetry node(String id, List<ModelEnergy> energy) {
        return new NodeTelemetry(id, "site", "http://127.0.0.1:1", List.of(TINY), 0, 0, 0, 50, true, Instant.EPOCH,
                energy);
    }

    @Test
    void meshPrior_isTheMeanOfWhatOtherNodesLearnedAboutTheModel() {
        var a = node("a", List.of(new ModelEnergy("tiny", 0.1, 0.02, 1000, 200, 5, true)));
        var b = node("b", List.of(new ModelEnergy("tiny", 0.3, 0.04, 3000, 0, 5, true)));
        var fresh = node("c", List.of());

        EnergyProfile prior = SiteBook.meshPrior(List.of(a, b, fresh), "tiny");

        assertThat(prior.joulesPerPromptToken()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(prior.joulesPerOutputToken()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(prior.prefillTokensPerSecond()).isEqualTo(2000);
        assertThat(prior.decodeTokensPerSecond()).as("unmeasured rates are left out of the mean").isEqualTo(200);
        assertThat(prior.measured()).isFalse();
        assertThat(SiteBook.profile(fresh, "tiny", prior)).isEqualTo(prior);
    }

    @Test
    void meshPrior_fallsBackToTheGlobalPriorWhenNoNodeHasLearnedTheModel() {
        var other = node("a", List.of(new ModelEnergy("other", 0.1, 0.02, 1000, 200, 5, true)));

        assertThat(SiteBook.meshPrior(List.of(other), "tiny")).isEqualTo(EnergyProfile.PRIOR);
    }

    @Test
    void conditions_whenSignalsHaveNothing_arePessimisticAndStaleSoTheSiteDoesNotLookFreeAndClean() {
        io.lattice.core.signal.SignalSource silent = new io.lattice.core.signal.SignalSource() {
            @Override
            public Set<io.lattice.core.signal.SignalKind> kinds() {
                return Set.of(io.lattice.core.signal.SignalKind.CARBON_INTENSITY, io.lattice.core.signal.SignalKind.PRICE);
            }

            @Override
            public java.util.Optional<io.lattice.core.signal.SignalReading> read(io.lattice.core.signal.SignalKind kind,
                                                                                 Instant at) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<io.lattice.core.signal.TimeSeries> forecast(io.lattice.core.signal.SignalKind kind,
                                                                                  Instant from, int hours) {
                return java.util.Optional.empty();
            }
        };
        var site = new io.lattice.core.energy.Site("dark", "DE", 1.2, 0, 10,
                io.lattice.core.energy.Jurisdiction.parse("DE"), new io.lattice.core.GeoPoint(50, 8),
                io.lattice.core.energy.HeatSink.NONE);

        var c = new SiteBook(List.of(new GatewaySite(site, "dark", silent)), null)
                .conditions(new GatewaySite(site, "dark", silent), Instant.EPOCH, 0.1);

        assertThat(c.carbonIntensityGPerKwh()).isEqualTo(SiteBook.UNKNOWN_CARBON_G_PER_KWH);
        assertThat(c.priceUsdPerMwh()).isEqualTo(SiteBook.UNKNOWN_PRICE_USD_PER_MWH);
        assertThat(c.stale()).contains(io.lattice.core.energy.SiteConditions.Quantity.CARBON_INTENSITY,
                io.lattice.core.energy.SiteConditions.Quantity.PRICE);
    }
}
