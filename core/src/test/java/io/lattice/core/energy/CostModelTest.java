package io.lattice.core.energy;

import static io.lattice.core.energy.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private static final double EPS = 1e-12;
    private final CostModel model = new CostModel();

    /**
     * The worked example every figure below is checked against, by hand:
     * profile 0.5 J/prompt token, 2 J/output token, prefill 1000 tokens/s, decode 50 tokens/s (measured);
     * request 1000 prompt + 200 output tokens;
     * site PUE 1.2, WUE 1.8 L/kWh, limit 1.5 kW, heat worth 0.08 USD/kWh_th with recovery 1.0;
     * conditions 400 gCO2e/kWh, 100 USD/MWh, 0.6 kW on-site, heat demand 0.5 kW_th, site IT draw 0.82 kW;
     * queue 2 deep × 500 ms, RTT 20 ms measured.
     */
    private static EnergyCandidate workedExample(double powerLimitKw, HeatSink sink, SiteConditions conditions) {
        Site site = new Site("farm", "DE-LU", 1.2, 1.8, powerLimitKw, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                sink);
        return new EnergyCandidate(Fixtures.node("n1").site(site).build().candidate(), site, conditions,
                Fixtures.PROFILE, new QueueState(2, 500, 1), Rtt.measured(20));
    }

    private static SiteConditions exampleConditions() {
        return new SiteConditions(NOW, 400, 100, 0.6, 0.5, 0.82);
    }

    private static EnergyCandidate workedExample() {
        return workedExample(1.5, new HeatSink(0.08, 1.0), exampleConditions());
    }

    @Test
    void estimate_workedExample_energyCarbonMoneyWaterHeatByHand() {
        EnergyCost e = model.estimate(1000, 200, workedExample()).energy();

        // 1000 × 0.5 J + 200 × 2 J = 900 J = 0.00025 kWh IT; × PUE 1.2 = 0.0003 kWh facility
        assertThat(e.itEnergyJ()).isCloseTo(900, within(EPS));
        assertThat(e.itEnergyKwh()).isCloseTo(0.00025, within(EPS));
        assertThat(e.facilityEnergyKwh()).isCloseTo(0.0003, within(EPS));
        // service 1000/1000 s + 200/50 s = 5 s; 900 J / 5 s = 180 W = 0.18 kW
        assertThat(e.itPowerKw()).isCloseTo(0.18, within(EPS));
        // site facility draw (0.82 + 0.18) kW × 1.2 = 1.2 kW; on-site 0.6 kW covers 0.5 of it
        assertThat(e.siteFacilityDrawKw()).isCloseTo(1.2, within(EPS));
        assertThat(e.onsiteShare()).isCloseTo(0.5, within(EPS));
        // 0.0003 kWh × 400 gCO2e/kWh × (1 − 0.5) = 0.06 gCO2e
        assertThat(e.carbonG()).isCloseTo(0.06, within(EPS));
        // 0.0003 kWh × 100 USD/MWh / 1000 = 0.00003 USD
        assertThat(e.gridCostUsd()).isCloseTo(0.00003, within(EPS));
        // site heat output 1.0 kW_th, demand 0.5 kW_th: half the heat is wanted; 0.00025 kWh × 1.0 × 0.5
        assertThat(e.heatReusedKwhTh()).isCloseTo(0.000125, within(EPS));
        // 0.000125 kWh_th × 0.08 USD/kWh_th = 0.00001 USD; net 0.00003 − 0.00001 = 0.00002 USD
        assertThat(e.heatCreditUsd()).isCloseTo(0.00001, within(EPS));
        assertThat(e.costUsd()).isCloseTo(0.00002, within(EPS));
        // water per IT kWh: 0.00025 kWh × 1.8 L/kWh = 0.00045 L
        assertThat(e.waterL()).isCloseTo(0.00045, within(EPS));
        assertThat(e.estimated()).isFalse();
    }

    @Test
    void estimate_workedExample_latencyByHand() {
        LatencyEstimate l = model.estimate(1000, 200, workedExample()).latency();

        assertThat(l.rttMs()).isEqualTo(20);
        assertThat(l.queueWaitMs()).isCloseTo(1000, within(EPS)); // 2 requests ahead × 500 ms
        assertThat(l.prefillMs()).isCloseTo(1000, within(EPS)); // 1000 tokens / 1000 tokens/s
        assertThat(l.ttftMs()).isCloseTo(2020, within(EPS)); // 20 + 1000 + 1000
        assertThat(l.timePerOutputTokenMs()).isCloseTo(20, within(EPS)); // 1000 ms / 50 tokens/s
        assertThat(l.decodeMs()).isCloseTo(4000, within(EPS)); // 200 tokens / 50 tokens/s
        assertThat(l.totalMs()).isCloseTo(6020, within(EPS));
    }

    @Test
    void estimate_flagsThePowerLimitOnlyWhenTheRequestWouldCrossIt() {
        // facility draw with the request is 1.2 kW
        assertThat(model.estimate(1000, 200, workedExample(1.5, HeatSink.NONE, exampleConditions()))
                .powerLimitExceeded()).isFalse();
        assertThat(model.estimate(1000, 200, workedExample(1.2, HeatSink.NONE, exampleConditions()))
                .powerLimitExceeded()).isFalse();
        assertThat(model.estimate(1000, 200, workedExample(1.1, HeatSink.NONE, exampleConditions()))
                .powerLimitExceeded()).isTrue();
    }

    @Test
    void estimate_withoutHeatSink_reusesNoHeatAndCostsTheGridPrice() {
        EnergyCost e = model.estimate(1000, 200, workedExample(1.5, HeatSink.NONE, exampleConditions())).energy();

        assertThat(e.heatReusedKwhTh()).isZero();
        assertThat(e.costUsd()).isCloseTo(0.00003, within(EPS));
    }

    @Test
    void estimate_heatCreditStopsWhenTheSiteWantsNoHeat() {
        var noDemand = new SiteConditions(NOW, 400, 100, 0.6, 0, 0.82);

        EnergyCost e = model.estimate(1000, 200, workedExample(1.5, new HeatSink(0.08, 1.0), noDemand)).energy();

        assertThat(e.heatReusedKwhTh()).isZero();
        assertThat(e.costUsd()).isCloseTo(0.00003, within(EPS));
    }

    @Test
    void estimate_heatReusedIsCappedByRecoveryWhenDemandExceedsOutput() {
        var coldDay = new SiteConditions(NOW, 400, 100, 0.6, 50, 0.82);

        EnergyCost e = model.estimate(1000, 200, workedExample(1.5, new HeatSink(0.08, 0.9), coldDay)).energy();

        // all recovered heat is wanted: 0.00025 kWh × 0.9 = 0.000225 kWh_th, worth 0.000018 USD
        assertThat(e.heatReusedKwhTh()).isCloseTo(0.000225, within(EPS));
        assertThat(e.costUsd()).isCloseTo(0.00003 - 0.000018, within(EPS));
    }

    @Test
    void estimate_negativePriceMakesTheGridCostNegative() {
        var surplus = new SiteConditions(NOW, 400, -50, 0, 0, 0.82);

        EnergyCost e = model.estimate(1000, 200, workedExample(1.5, HeatSink.NONE, surplus)).energy();

        // 0.0003 kWh × −50 USD/MWh / 1000 = −0.000015 USD: the site is paid to draw
        assertThat(e.gridCostUsd()).isCloseTo(-0.000015, within(EPS));
        assertThat(e.costUsd()).isCloseTo(-0.000015, within(EPS));
    }

    @Test
    void estimate_onsiteGenerationAboveTheDrawMakesTheRequestCarbonFree() {
        var sunny = new SiteConditions(NOW, 400, 100, 5, 0, 0.82);

        EnergyCost e = model.estimate(1000, 200, workedExample(1.5, HeatSink.NONE, sunny)).energy();

        assertThat(e.onsiteShare()).isEqualTo(1.0);
        assertThat(e.carbonG()).isZero();
        // still charged at the grid price: the energy could have been sold
        assertThat(e.gridCostUsd()).isCloseTo(0.00003, within(EPS));
    }

    @Test
    void estimate_isFlaggedEstimatedForAPriorProfileOrAForecastSignal() {
        EnergyCandidate measured = workedExample();
        var prior = new EnergyCandidate(measured.candidate(), measured.site(), measured.conditions(),
                EnergyProfile.PRIOR, measured.queue(), measured.rtt());
        var forecast = new SiteConditions(NOW, 400, 100, 0.6, 0.5, 0.82,
                Set.of(SiteConditions.Quantity.CARBON_INTENSITY), Set.of());
        var stale = new SiteConditions(NOW, 400, 100, 0.6, 0.5, 0.82, Set.of(),
                Set.of(SiteConditions.Quantity.PRICE));

        assertThat(model.estimate(1000, 200, prior).energy().estimated()).isTrue();
        assertThat(model.estimate(1000, 200, workedExample(1.5, HeatSink.NONE, forecast)).energy().estimated())
                .isTrue();
        assertThat(model.estimate(1000, 200, workedExample(1.5, HeatSink.NONE, stale)).energy().estimated())
                .isTrue();
    }

    @Test
    void estimate_ofAnEmptyRequestCostsNothingAndTakesOnlyTheRoundTripAndQueue() {
        CostBreakdown c = model.estimate(0, 0, workedExample());

        assertThat(c.energy().itEnergyJ()).isZero();
        assertThat(c.energy().itPowerKw()).isZero();
        assertThat(c.energy().carbonG()).isZero();
        assertThat(c.energy().costUsd()).isZero();
        assertThat(c.latency().ttftMs()).isCloseTo(1020, within(EPS));
    }

    @Test
    void estimate_usesTheRequestsExpectedTokenCounts() {
        CostBreakdown viaWork = model.estimate(Fixtures.CHAT, workedExample());
        CostBreakdown direct = model.estimate(1000, 200, workedExample());

        assertThat(viaWork).isEqualTo(direct);
    }

    @Test
    void account_ofMeteredEnergyUsesTheSameArithmeticAsTheEstimate() {
        EnergyCandidate c = workedExample();

        EnergyCost metered = model.account(900, 5000, c.site(), c.conditions(), true);

        assertThat(metered).isEqualTo(model.estimate(1000, 200, c).energy());
    }

    @Test
    void estimate_rejectsNegativeTokenCountsNamingTheField() {
        assertThatThrownBy(() -> model.estimate(-1, 0, workedExample()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("promptTokens").hasMessageContaining("-1");
    }
}
