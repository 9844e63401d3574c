package io.lattice.core.energy;

import static io.lattice.core.energy.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.core.Candidate;
import io.lattice.core.LeastLoadedPolicy;
import io.lattice.core.ModelCapability;
import io.lattice.core.Placement;
import io.lattice.core.PlacementPolicy;
import io.lattice.core.WorkRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The gateway's path: {@link PlacementPolicy} over energy policies, and the root types it relies on. */
class PlacementAdapterTest {

    private final EnergyCandidate green = node("green").carbon(50).build();
    private final EnergyCandidate dirty = node("dirty").carbon(500).build();
    private final Map<String, EnergyCandidate> known = List.of(green, dirty).stream()
            .collect(Collectors.toMap(EnergyCandidate::nodeId, Function.identity()));
    private final CandidateContext context = (c, work) -> Optional.ofNullable(known.get(c.nodeId()));

    @Test
    void asPlacementPolicy_placesOnTheGreenestNodeAndCarriesTheDecision() {
        PlacementPolicy policy = EnergyPolicies.asPlacementPolicy(EnergyPolicies.greenest(), context);
        // the gateway's own call, with the three-argument WorkRequest
        WorkRequest work = new WorkRequest("tiny", ModelCapability.CHAT, true);

        Placement p = policy.place(work, List.of(dirty.candidate(), green.candidate())).orElseThrow();

        assertThat(policy.name()).isEqualTo("greenest");
        assertThat(p.chosen()).isSameAs(green.candidate());
        assertThat(p.reason()).startsWith("greenest: chose green");
        assertThat(p.explanation()).isInstanceOfSatisfying(EnergyDecision.class, d -> {
            assertThat(d.table()).hasSize(2);
            assertThat(d.work()).isEqualTo(work);
        });
        assertThat(p.explanation().lines()).hasSize(2);
    }

    @Test
    void asPlacementPolicy_leavesOutAndNamesCandidatesWithoutSiteContext() {
        PlacementPolicy policy = EnergyPolicies.asPlacementPolicy(EnergyPolicies.greenest(), context);
        Candidate stranger = node("stranger").carbon(0).build().candidate();

        Placement p = policy.place(Fixtures.CHAT, List.of(stranger, dirty.candidate())).orElseThrow();

        assertThat(p.chosen().nodeId()).isEqualTo("dirty");
        assertThat(p.reason()).endsWith("not considered, no site context: [stranger]");
    }

    @Test
    void asPlacementPolicy_isEmptyWhenNothingCanTakeTheWork() {
        PlacementPolicy policy = EnergyPolicies.asPlacementPolicy(EnergyPolicies.greenest(), context);

        assertThat(policy.place(Fixtures.CHAT.withAllowedJurisdictions(Set.of("FR")),
                List.of(green.candidate(), dirty.candidate()))).isEmpty();
        assertThat(policy.place(Fixtures.CHAT, List.of())).isEmpty();
    }

    @Test
    void asPlacementPolicy_rejectsAContextThatDescribesTheWrongNode() {
        PlacementPolicy policy = EnergyPolicies.asPlacementPolicy(EnergyPolicies.greenest(),
                (c, work) -> Optional.of(green));

        assertThatThrownBy(() -> policy.place(Fixtures.CHAT, List.of(dirty.candidate())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CandidateContext described node dirty as node green");
    }

    @Test
    void workRequest_threeArgumentConstructorAssumesATypicalRequestWithNoConstraints() {
        WorkRequest chat = new WorkRequest("tiny", ModelCapability.CHAT, false);
        WorkRequest embeddings = new WorkRequest("minilm", ModelCapability.EMBEDDINGS, false);

        assertThat(chat.expectedPromptTokens()).isEqualTo(WorkRequest.TYPICAL_PROMPT_TOKENS);
        assertThat(chat.expectedOutputTokens()).isEqualTo(WorkRequest.TYPICAL_OUTPUT_TOKENS);
        assertThat(embeddings.expectedOutputTokens()).isZero();
        assertThat(chat.objective()).isEqualTo(WorkRequest.LatencyObjective.NONE);
        assertThat(chat.objective().isBounded()).isFalse();
        assertThat(chat.allowedJurisdictions()).isEmpty();
    }

    @Test
    void workRequest_normalisesJurisdictionCodesAndRejectsMalformedOnes() {
        WorkRequest w = new WorkRequest("tiny", ModelCapability.CHAT, false).withAllowedJurisdictions(Set.of("fr-bre"));

        assertThat(w.allowedJurisdictions()).containsExactly("FR-BRE");
        assertThatThrownBy(() -> w.withAllowedJurisdictions(Set.of("Brittany")))
                .hasMessageContaining("'Brittany'");
        assertThatThrownBy(() -> w.withExpectedTokens(-1, 0)).hasMessageContaining("expectedPromptTokens");
        assertThatThrownBy(() -> WorkRequest.LatencyObjective.ttft(0)).hasMessageContaining("ttftMs must be > 0");
    }

    @Test
    void placement_threeArgumentConstructorHasNoExplanation_andLeastLoadedStillWorks() {
        Placement p = new LeastLoadedPolicy().place(Fixtures.CHAT, List.of(green.candidate())).orElseThrow();

        assertThat(p.explanation()).isSameAs(Placement.Explanation.NONE);
        assertThat(p.explanation().lines()).isEmpty();
    }
}
