package io.lattice.core.energy;

import static io.lattice.core.energy.Fixtures.CHAT;
import static io.lattice.core.energy.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lattice.core.ModelCapability;
import io.lattice.core.WorkRequest;
import io.lattice.core.WorkRequest.LatencyObjective;
import io.lattice.core.energy.EnergyDecision.Reason;
import io.lattice.core.energy.EnergyDecision.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnergyPoliciesTest {

    private static String chosenId(EnergyDecision d) {
        return d.chosen().orElseThrow().nodeId();
    }

    private static Row row(EnergyDecision d, String nodeId) {
        return d.table().stream().filter(r -> r.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    private static List<Reason> reasons(EnergyDecision d, String nodeId) {
        return row(d, nodeId).exclusions().stream().map(EnergyDecision.Exclusion::reason).toList();
    }

    // --- load ---

    @Test
    void cheapest_skipsACheapNodeWhoseQueueWouldBreakTheTtftObjective() {
        // cheap: 10 ahead × 500 ms = 5000 ms wait → TTFT 20 + 5000 + 1000 = 6020 ms
        var cheap = node("cheap").price(20).queue(10).build();
        var dear = node("dear").price(80).build();
        var work = CHAT.withObjective(LatencyObjective.ttft(3000));

        EnergyDecision d = EnergyPolicies.cheapest().decide(work, List.of(cheap, dear));

        assertThat(chosenId(d)).isEqualTo("dear");
        assertThat(reasons(d, "cheap")).containsExactly(Reason.TTFT_OBJECTIVE);
        assertThat(row(d, "cheap").exclusions().getFirst().detail()).contains("queue 5000").contains("3000 ms");
        assertThat(d.objectiveMissed()).isFalse();
    }

    @Test
    void cheapest_withoutObjective_keepsACheapNodeDespiteItsQueue() {
        // without an objective nothing says the client minds waiting; the load penalty (0.1) is smaller
        // than the money gap (the whole range, 1.0)
        var cheap = node("cheap").price(20).queue(10).build();
        var dear = node("dear").price(80).build();

        assertThat(chosenId(EnergyPolicies.cheapest().decide(CHAT, List.of(cheap, dear)))).isEqualTo("cheap");
    }

    @Test
    void greenest_spreadsWorkAmongEquallyGreenNodesByQueue() {
        Site shared = Fixtures.site("farm");
        var busy = node("a").site(shared).carbon(100).queue(2).build();
        var idle = node("b").site(shared).carbon(100).placed(50).build();

        EnergyDecision d = EnergyPolicies.greenest().decide(CHAT, List.of(busy, idle));

        assertThat(chosenId(d)).isEqualTo("b");
        assertThat(row(d, "a").score()).isEqualTo(0.1); // worst on load, equal on carbon
        assertThat(row(d, "b").score()).isZero();
    }

    @Test
    void greenest_loadPenaltyDoesNotGiveAwayAMuchGreenerNode() {
        var green = node("green").carbon(100).queue(3).build();
        var dirty = node("dirty").carbon(400).build();

        assertThat(chosenId(EnergyPolicies.greenest().decide(CHAT, List.of(green, dirty)))).isEqualTo("green");
    }

    @Test
    void greenest_underSustainedLoad_fillsTheGreenNodeUpToItsObjectiveThenSpills() {
        // TTFT = 20 ms RTT + depth × 500 ms + 1000 ms prefill <= 3000 ms holds for depth 0..3: four requests
        var work = CHAT.withObjective(LatencyObjective.ttft(3000));
        int[] depth = new int[3];
        double[] carbon = {100, 200, 300};
        List<String> placed = new ArrayList<>();
        for (int request = 0; request < 10; request++) {
            List<EnergyCandidate> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(node("n" + i).carbon(carbon[i]).queue(depth[i]).build());
            }
            String chosen = chosenId(EnergyPolicies.greenest().decide(work, nodes));
            placed.add(chosen);
            depth[Integer.parseInt(chosen.substring(1))]++;
        }

        assertThat(placed).containsExactly("n0", "n0", "n0", "n0", "n1", "n1", "n1", "n1", "n2", "n2");
    }

    // --- distance ---

    @Test
    void greenest_skipsAGreenSiteTooFarAwayForTheTtft() {
        RttModel rtt = RttModel.DEFAULT;
        // Paris → Sydney ≈ 16,960 km → RTT ≈ 16,960 / 50 + 5 ≈ 344 ms; TTFT ≈ 344 + 1000 ms prefill
        var far = node("sydney").site(Fixtures.site("syd", "AU", Fixtures.SYDNEY)).carbon(50)
                .rtt(rtt.estimate(Fixtures.PARIS, Fixtures.SYDNEY)).build();
        // Paris → Frankfurt ≈ 480 km → RTT ≈ 15 ms
        var near = node("frankfurt").site(Fixtures.site("fra", "DE", Fixtures.FRANKFURT)).carbon(350)
                .rtt(rtt.estimate(Fixtures.PARIS, Fixtures.FRANKFURT)).build();
        var work = CHAT.withObjective(LatencyObjective.ttft(1200));

        EnergyDecision d = EnergyPolicies.greenest().decide(work, List.of(far, near));

        assertThat(chosenId(d)).isEqualTo("frankfurt");
        assertThat(reasons(d, "sydney")).containsExactly(Reason.TTFT_OBJECTIVE);
        assertThat(row(d, "sydney").cost().latency().rttMs()).isBetween(330.0, 360.0);
        // with a looser objective the green site wins
        assertThat(chosenId(EnergyPolicies.greenest().decide(CHAT.withObjective(LatencyObjective.ttft(2000)),
                List.of(far, near)))).isEqualTo("sydney");
    }

    // --- heat and price ---

    @Test
    void cheapest_prefersTheSiteThatWantsHeatBecauseItsHeatEarnsMoney() {
        Site greenhouse = new Site("greenhouse", "DE-LU", 1.2, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse("DE"),
                Fixtures.FRANKFURT, HeatSink.worth(0.05));
        Site office = new Site("office", "DE-LU", 1.2, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse("DE"),
                Fixtures.FRANKFURT, HeatSink.worth(0.05));
        var wantsHeat = node("warm").site(greenhouse).heatDemand(50).placed(9).build();
        var wantsNone = node("summer").site(office).heatDemand(0).build();

        EnergyDecision d = EnergyPolicies.cheapest().decide(CHAT, List.of(wantsNone, wantsHeat));

        assertThat(chosenId(d)).isEqualTo("warm");
        EnergyCost warm = row(d, "warm").cost().energy();
        EnergyCost summer = row(d, "summer").cost().energy();
        assertThat(warm.gridCostUsd()).isEqualTo(summer.gridCostUsd());
        assertThat(summer.heatReusedKwhTh()).isZero();
        assertThat(warm.heatReusedKwhTh()).isPositive();
        assertThat(warm.costUsd()).isLessThan(summer.costUsd());
    }

    @Test
    void cheapest_choosesTheNegativePriceSite() {
        var paidToDraw = node("neg").price(-40).build();
        var free = node("zero").price(0).build();
        var normal = node("pos").price(90).build();

        EnergyDecision d = EnergyPolicies.cheapest().decide(CHAT, List.of(normal, free, paidToDraw));

        assertThat(chosenId(d)).isEqualTo("neg");
        assertThat(row(d, "neg").cost().energy().costUsd()).isNegative();
    }

    // --- power limit ---

    @Test
    void greenest_excludesASiteAtItsPowerLimit() {
        // request adds 0.18 kW IT; (0.82 + 0.18) × 1.2 = 1.2 kW facility > 1.1 kW limit
        Site limited = new Site("limited", "DE-LU", 1.2, 0, 1.1, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                HeatSink.NONE);
        var green = node("green").site(limited).carbon(50).draw(0.82).build();
        var dirty = node("dirty").carbon(500).build();

        EnergyDecision d = EnergyPolicies.greenest().decide(CHAT, List.of(green, dirty));

        assertThat(chosenId(d)).isEqualTo("dirty");
        assertThat(reasons(d, "green")).containsExactly(Reason.POWER_LIMIT);
        assertThat(row(d, "green").exclusions().getFirst().detail()).contains("1.2 kW > limit 1.1 kW");
    }

    @Test
    void anyPolicy_placesNothingWhenEverySiteIsAtItsPowerLimitEvenToMeetNoObjective() {
        Site limited = new Site("limited", "DE-LU", 1.2, 0, 1.1, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                HeatSink.NONE);
        var a = node("a").site(limited).draw(0.82).build();
        var b = node("b").site(limited).draw(0.95).build();

        for (String name : EnergyPolicies.NAMES) {
            EnergyDecision d = EnergyPolicies.named(name).decide(CHAT, List.of(a, b));
            assertThat(d.chosen()).as(name).isEmpty();
            assertThat(d.placement()).as(name).isEmpty();
            assertThat(d.reason()).as(name).contains("no candidate can take").contains("power_limit");
        }
    }

    // --- jurisdiction ---

    @Test
    void greenest_honoursRegionAndCountryJurisdictionCodes() {
        var brittany = node("bre").site(Fixtures.site("rennes", "FR-BRE", Fixtures.RENNES)).carbon(60).build();
        var paris = node("idf").site(Fixtures.site("paris", "FR-IDF", Fixtures.PARIS)).carbon(40).build();
        var franceSomewhere = node("fr").site(Fixtures.site("france", "FR", Fixtures.PARIS)).carbon(50).build();
        var germany = node("de").site(Fixtures.site("berlin", "DE", Fixtures.BERLIN)).carbon(10).build();
        var all = List.of(brittany, paris, franceSomewhere, germany);
        EnergyPolicy greenest = EnergyPolicies.greenest();

        EnergyDecision onlyBrittany = greenest.decide(CHAT.withAllowedJurisdictions(Set.of("FR-BRE")), all);
        assertThat(chosenId(onlyBrittany)).isEqualTo("bre");
        assertThat(reasons(onlyBrittany, "idf")).containsExactly(Reason.JURISDICTION);
        assertThat(reasons(onlyBrittany, "fr")).as("a site known only as FR is not known to be in FR-BRE")
                .containsExactly(Reason.JURISDICTION);
        assertThat(reasons(onlyBrittany, "de")).containsExactly(Reason.JURISDICTION);

        EnergyDecision allFrance = greenest.decide(CHAT.withAllowedJurisdictions(Set.of("FR")), all);
        assertThat(chosenId(allFrance)).isEqualTo("idf");
        assertThat(allFrance.table().stream().filter(Row::eligible).map(Row::nodeId))
                .containsExactlyInAnyOrder("bre", "idf", "fr");

        EnergyDecision anywhere = greenest.decide(CHAT, all);
        assertThat(chosenId(anywhere)).isEqualTo("de");

        EnergyDecision lowerCase = greenest.decide(CHAT.withAllowedJurisdictions(Set.of("fr-bre", "de")), all);
        assertThat(chosenId(lowerCase)).isEqualTo("de");
        assertThat(reasons(lowerCase, "idf")).containsExactly(Reason.JURISDICTION);
    }

    // --- weights ---

    @Test
    void balanced_weightsShiftTheChoiceBetweenGreenAndFast() {
        var greenSlow = node("green").carbon(100).rttMs(300).build();
        var fastDirty = node("fast").carbon(500).rttMs(10).build();
        var candidates = List.of(greenSlow, fastDirty);

        EnergyPolicy carbonHeavy = EnergyPolicies.balanced(new PolicyWeights(0.1, 0, 0.9, 0, 0));
        EnergyPolicy latencyHeavy = EnergyPolicies.balanced(new PolicyWeights(0.9, 0, 0.1, 0, 0));

        assertThat(chosenId(carbonHeavy.decide(CHAT, candidates))).isEqualTo("green");
        assertThat(chosenId(latencyHeavy.decide(CHAT, candidates))).isEqualTo("fast");
        EnergyDecision d = carbonHeavy.decide(CHAT, candidates);
        assertThat(row(d, "green").score()).isEqualTo(0.1); // worst latency, best carbon
        assertThat(row(d, "fast").score()).isEqualTo(0.9);
    }

    @Test
    void balanced_normalisesSoAnOutlierDoesNotDecideForTheOthers() {
        // money spans 10..1000 USD/MWh: with min-max, a and b differ by 1% of the money range but 100% of the
        // carbon range, so equal weights pick the greener of the two near-equal-priced nodes
        var a = node("a").price(10).carbon(400).build();
        var b = node("b").price(20).carbon(100).build();
        var outlier = node("c").price(1000).carbon(250).build();

        EnergyPolicy even = EnergyPolicies.balanced(new PolicyWeights(0, 0.5, 0.5, 0, 0));

        assertThat(chosenId(even.decide(CHAT, List.of(a, b, outlier)))).isEqualTo("b");
    }

    // --- latency objective ---

    @Test
    void greenest_whenNoCandidateMeetsTheTtft_choosesTheFastestAndSaysSo() {
        var green = node("green").carbon(50).rttMs(400).build();
        var quick = node("quick").carbon(500).rttMs(30).build();
        var medium = node("medium").carbon(200).rttMs(200).build();
        var work = CHAT.withObjective(LatencyObjective.ttft(500)); // prefill alone takes 1000 ms

        EnergyDecision d = EnergyPolicies.greenest().decide(work, List.of(green, quick, medium));

        assertThat(chosenId(d)).isEqualTo("quick");
        assertThat(d.objectiveMissed()).isTrue();
        assertThat(d.reason()).contains("no candidate meets the latency objective").contains("TTFT <= 500 ms")
                .contains("chose the fastest, quick");
        assertThat(d.table()).allSatisfy(r -> assertThat(r.exclusions()).extracting(EnergyDecision.Exclusion::reason)
                .containsExactly(Reason.TTFT_OBJECTIVE));
        assertThat(d.lines()).anySatisfy(l -> assertThat(l).startsWith("quick").contains("objective missed"));
    }

    @Test
    void fallbackToFastest_neverChoosesANodeAHardRuleExcludes() {
        Site limited = new Site("limited", "DE-LU", 1.2, 0, 0.5, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                HeatSink.NONE);
        var quickButLimited = node("limited").site(limited).rttMs(1).build();
        var slow = node("slow").rttMs(300).build();

        EnergyDecision d = EnergyPolicies.fastest().decide(CHAT.withObjective(LatencyObjective.ttft(100)),
                List.of(quickButLimited, slow));

        assertThat(chosenId(d)).isEqualTo("slow");
        assertThat(d.objectiveMissed()).isTrue();
    }

    @Test
    void greenest_excludesANodeThatDecodesSlowerThanTheTimePerOutputTokenObjective() {
        var greenSlowDecoder = node("green").carbon(50).profile(new EnergyProfile(0.5, 2, 1000, 10, true)).build();
        var dirty = node("dirty").carbon(400).build();
        var work = CHAT.withObjective(new LatencyObjective(Double.POSITIVE_INFINITY, 50));

        EnergyDecision d = EnergyPolicies.greenest().decide(work, List.of(greenSlowDecoder, dirty));

        assertThat(chosenId(d)).isEqualTo("dirty");
        assertThat(reasons(d, "green")).containsExactly(Reason.TPOT_OBJECTIVE); // 100 ms > 50 ms
    }

    @Test
    void timePerOutputTokenObjective_doesNotApplyToWorkWithoutOutput() {
        var slowDecoder = node("slow").models(Fixtures.MINILM).profile(new EnergyProfile(0.5, 2, 1000, 10, true))
                .build();
        var work = new WorkRequest("minilm", ModelCapability.EMBEDDINGS, false)
                .withObjective(new LatencyObjective(Double.POSITIVE_INFINITY, 50));

        EnergyDecision d = EnergyPolicies.greenest().decide(work, List.of(slowDecoder));

        assertThat(chosenId(d)).isEqualTo("slow");
        assertThat(d.objectiveMissed()).isFalse();
    }

    @Test
    void fastest_ranksStreamedWorkByFirstTokenAndWholeAnswersByLastToken() {
        // a: prefills fast, decodes slowly; b: the reverse
        var a = node("a").profile(new EnergyProfile(0.5, 2, 5000, 10, true)).build();
        var b = node("b").profile(new EnergyProfile(0.5, 2, 1000, 100, true)).build();
        var streamed = CHAT;
        var whole = new WorkRequest("tiny", ModelCapability.CHAT, false).withExpectedTokens(1000, 200);

        assertThat(chosenId(EnergyPolicies.fastest().decide(streamed, List.of(a, b)))).isEqualTo("a");
        assertThat(chosenId(EnergyPolicies.fastest().decide(whole, List.of(a, b)))).isEqualTo("b");
    }

    @Test
    void anyPolicy_skipsNodesThatDoNotServeTheModel() {
        var embeddingsOnly = node("emb").models(Fixtures.MINILM).carbon(10).build();
        var chat = node("chat").carbon(500).build();

        EnergyDecision d = EnergyPolicies.greenest().decide(CHAT, List.of(embeddingsOnly, chat));

        assertThat(chosenId(d)).isEqualTo("chat");
        assertThat(reasons(d, "emb")).containsExactly(Reason.MODEL_NOT_SERVED);
    }

    // --- determinism and explanation ---

    @Test
    void decide_doesNotDependOnCandidateOrder() {
        List<EnergyCandidate> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(node("n" + i).carbon(100 + (i % 3) * 50).price(50 + (i % 4) * 10).rttMs(10 + i)
                    .queue(i % 2).placed(i).build());
        }
        Random shuffler = new Random(7);
        for (String name : EnergyPolicies.NAMES) {
            EnergyPolicy p = EnergyPolicies.named(name);
            String expected = chosenId(p.decide(CHAT, nodes));
            for (int round = 0; round < 20; round++) {
                List<EnergyCandidate> shuffled = new ArrayList<>(nodes);
                Collections.shuffle(shuffled, shuffler);
                assertThat(chosenId(p.decide(CHAT, shuffled))).as(name).isEqualTo(expected);
            }
        }
    }

    @Test
    void decide_breaksExactTiesByFewestPlacementsThenNodeId() {
        Site shared = Fixtures.site("farm");
        var usedMore = node("a").site(shared).placed(5).build();
        var usedLess = node("b").site(shared).placed(4).build();
        var sameAsB = node("c").site(shared).placed(4).build();

        assertThat(chosenId(EnergyPolicies.greenest().decide(CHAT, List.of(sameAsB, usedMore, usedLess))))
                .isEqualTo("b");
    }

    @Test
    void nearTies_withTheSameSeed_repeatTheSameSequenceOfChoices() {
        Site shared = Fixtures.site("farm");
        List<EnergyCandidate> equals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            equals.add(node("n" + i).site(shared).build());
        }
        EnergyPolicy first = EnergyPolicies.builder("greenest").nearTies(0.05, new SplittableRandom(42)).build();
        EnergyPolicy second = EnergyPolicies.builder("greenest").nearTies(0.05, new SplittableRandom(42)).build();

        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            a.add(chosenId(first.decide(CHAT, equals)));
            b.add(chosenId(second.decide(CHAT, equals)));
        }

        assertThat(a).isEqualTo(b);
        assertThat(Set.copyOf(a)).as("random choices spread over the tied nodes").hasSizeGreaterThan(2);
        assertThat(first.decide(CHAT, equals).reason()).contains("two random choices among 5");
    }

    @Test
    void nearTies_takeTheLessLoadedOfTheTwoDrawnAndNeverLeaveTheBand() {
        Site shared = Fixtures.site("farm");
        // b and c are within the band (queue only differs a little in score); d is much dirtier
        var b = node("b").site(shared).carbon(100).queue(1).build();
        var c = node("c").site(shared).carbon(100).build();
        var d = node("d").carbon(400).build();
        EnergyPolicy p = EnergyPolicies.builder("greenest").weights(PolicyWeights.GREENEST.withLoad(0.01))
                .nearTies(0.05, new SplittableRandom(1)).build();

        for (int i = 0; i < 30; i++) {
            // two drawn from {b, c} is always both: the shorter queue (c) wins
            assertThat(chosenId(p.decide(CHAT, List.of(b, c, d)))).isEqualTo("c");
        }
    }

    @Test
    void decision_explainsEveryCandidateWithItsCostAndWhyItWasExcluded() {
        Site limited = new Site("limited", "DE-LU", 1.2, 0, 1.1, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                HeatSink.NONE);
        var excluded = node("hot").site(limited).draw(0.82).build();
        var chosen = node("ok").carbon(200).build();
        var other = node("other").carbon(300).build();

        EnergyDecision d = EnergyPolicies.greenest().decide(CHAT, List.of(excluded, chosen, other));

        assertThat(d.table()).extracting(Row::nodeId).containsExactly("hot", "ok", "other");
        assertThat(d.table()).allSatisfy(r -> assertThat(r.cost().energy().itEnergyJ()).isEqualTo(900));
        assertThat(row(d, "hot").score()).isNaN();
        assertThat(d.lines()).hasSize(3);
        assertThat(d.lines().get(0)).startsWith("hot @ limited: 900 J").contains("excluded (power_limit: ");
        assertThat(d.lines().get(1)).startsWith("ok @ site-ok").contains("CHOSEN, score 0").contains("gCO2e");
        assertThat(d.lines().get(2)).endsWith("score 1"); // worst carbon of the eligible two: (300 − 200) / (300 − 200)
        assertThat(d.reason()).startsWith("greenest: chose ok at site-ok").contains("excluded hot: [power_limit]");
        assertThat(d.placement()).get().satisfies(p -> {
            assertThat(p.chosen()).isSameAs(chosen.candidate());
            assertThat(p.explanation()).isSameAs(d);
            assertThat(p.policy()).isEqualTo("greenest");
        });
    }

    @Test
    void builder_rejectsUnknownPolicyNamesListingTheKnownOnes() {
        assertThatThrownBy(() -> EnergyPolicies.named("greenish"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy must be one of [fastest, cheapest, greenest, balanced] but was 'greenish'");
    }

    @Test
    void weights_rejectNegativeOrAllZeroWeights() {
        assertThatThrownBy(() -> new PolicyWeights(0, -1, 0, 0, 0)).hasMessageContaining("money")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new PolicyWeights(0, 0, 0, 0, 0)).hasMessageContaining("all were 0");
    }

    @Test
    void decide_withNoCandidatesChoosesNothingAndSaysSo() {
        EnergyDecision d = EnergyPolicies.balanced().decide(CHAT, List.of());

        assertThat(d.chosen()).isEmpty();
        assertThat(d.reason()).contains("no candidates");
    }
}
