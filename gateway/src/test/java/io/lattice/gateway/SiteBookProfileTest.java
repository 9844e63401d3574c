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

class SiteBookProfileTest {

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
}
