package io.lattice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lattice.core.GeoPoint;
import io.lattice.core.energy.EnergyPolicies;
import io.lattice.core.energy.EnergyProfile;
import io.lattice.core.energy.HeatSink;
import io.lattice.core.energy.Jurisdiction;
import io.lattice.core.energy.RttModel;
import io.lattice.core.energy.Site;
import io.lattice.core.signal.TimeSeries;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PlacementSimTest {

    private static final Instant T0 = Instant.parse("2023-06-01T00:00:00Z");
    private static final GeoPoint FRANKFURT = new GeoPoint(50.11, 8.68);
    // 1000 tok/s prefill, 10 tok/s decode: a 100-token prompt takes 100 ms, 10 output tokens 1 s
    private static final EnergyProfile PROFILE = new EnergyProfile(0.1, 0.5, 1000, 10, false);

    private static SimSite site(String id, String country, GeoPoint where, double carbon, double price) {
        double[] c = new double[24];
        double[] p = new double[24];
        Arrays.fill(c, carbon);
        Arrays.fill(p, price);
        Site s = new Site(id, id, 1.2, 0, Double.POSITIVE_INFINITY, new Jurisdiction(country, null), where,
                HeatSink.NONE);
        return new SimSite(s, TimeSeries.hourly(T0, c, "gCO2e/kWh"), TimeSeries.hourly(T0, p, "USD/MWh"));
    }

    private static final SimSite CLEAN = site("clean", "FR", new GeoPoint(48.86, 2.35), 50, 80);
    private static final SimSite DIRTY = site("dirty", "DE", FRANKFURT, 500, 60);

    private static PlacementSim sim(List<SimSite> sites, int nodes, int parallelism) {
        return new PlacementSim(new PlacementSim.Config(nodes, PROFILE, parallelism, FRANKFURT, RttModel.DEFAULT, 2000),
                sites);
    }

    /** {@code n} requests of 100 prompt and 10 output tokens, {@code gap} apart. */
    private static List<Arrival> arrivals(int n, Duration gap) {
        List<Arrival> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Arrival(T0.plus(gap.multipliedBy(i)), 100, 10));
        }
        return out;
    }

    private static List<Supplier<Placer>> allPlacers() {
        List<Supplier<Placer>> out = new ArrayList<>();
        for (String name : EnergyPolicies.NAMES) {
            out.add(() -> Placer.of(EnergyPolicies.named(name)));
        }
        out.add(Placer::roundRobin);
        out.add(Placer::leastLoaded);
        return out;
    }

    @Test
    void greenestSendsWorkToTheCleanSiteAndEmitsLessThanRoundRobin() {
        PlacementSim sim = sim(List.of(DIRTY, CLEAN), 1, 2);
        List<Arrival> work = arrivals(6, Duration.ofSeconds(10));

        SimResult greenest = sim.run(work, Placer.of(EnergyPolicies.greenest()));
        SimResult rr = sim.run(work, Placer.roundRobin());

        assertThat(greenest.requestsBySite()).containsEntry("clean", 6L).containsEntry("dirty", 0L);
        assertThat(rr.requestsBySite()).containsEntry("clean", 3L).containsEntry("dirty", 3L);
        assertThat(greenest.carbonG()).isLessThan(rr.carbonG());
        // every request here has the same energy, so carbon scales with the intensity where it ran
        assertThat(greenest.carbonG() / rr.carbonG()).isCloseTo(50.0 / 275.0, within(1e-9));
        assertThat(greenest.shareWithinObjective()).isEqualTo(1.0);
    }

    @Test
    void lowerBoundIsAtMostEveryPlacersCarbon() {
        PlacementSim sim = sim(List.of(DIRTY, CLEAN), 1, 1);
        // arrivals close enough together that the clean site queues: placers must spill to the dirty one
        List<Arrival> work = arrivals(12, Duration.ofMillis(300));
        SimResult bound = sim.lowerBound(work);

        for (Supplier<Placer> p : allPlacers()) {
            SimResult r = sim.run(work, p.get());
            assertThat(bound.carbonG()).as(r.policy()).isLessThanOrEqualTo(r.carbonG() + 1e-12);
            assertThat(bound.tokens()).isEqualTo(r.tokens());
        }
        assertThat(bound.requestsBySite()).containsOnlyKeys("clean");
    }

    @Test
    void everyArrivalIsServedExactlyOnceByEveryPlacer() {
        PlacementSim sim = sim(List.of(DIRTY, CLEAN), 2, 2);
        List<Arrival> work = arrivals(40, Duration.ofMillis(150));
        for (Supplier<Placer> p : allPlacers()) {
            SimResult r = sim.run(work, p.get());
            assertThat(r.requests()).as(r.policy()).isEqualTo(40);
            assertThat(r.requestsBySite().values().stream().mapToLong(Long::longValue).sum()).as(r.policy())
                    .isEqualTo(40);
            assertThat(r.ttftMs()).as(r.policy()).hasSize(40);
            assertThat(r.tokens()).isEqualTo(40 * 110);
        }
    }

    @Test
    void ttftIncludesTheQueueWaitWhenASiteSaturates() {
        PlacementSim sim = sim(List.of(DIRTY), 1, 1);
        double rttMs = RttModel.DEFAULT.estimateMs(FRANKFURT, FRANKFURT);
        // three at once on one slot: service 100 ms prefill + 1000 ms decode each
        List<Arrival> work = List.of(new Arrival(T0, 100, 10), new Arrival(T0, 100, 10), new Arrival(T0, 100, 10));

        SimResult r = sim.run(work, Placer.roundRobin());

        assertThat(r.ttftMs()).containsExactly(new double[] {rttMs + 100, rttMs + 1100 + 100, rttMs + 2200 + 100},
                within(1e-6));
        assertThat(r.maxQueueWaitMs()).isCloseTo(2200, within(1e-6));
        // the third waits 2.2 s, so it misses the 2 s objective
        assertThat(r.withinObjective()).isEqualTo(2);
    }

    @Test
    void parallelSlotsServeConcurrentRequestsWithoutWaiting() {
        PlacementSim sim = sim(List.of(DIRTY), 1, 3);
        List<Arrival> work = List.of(new Arrival(T0, 100, 10), new Arrival(T0, 100, 10), new Arrival(T0, 100, 10));

        SimResult r = sim.run(work, Placer.roundRobin());

        assertThat(r.maxQueueWaitMs()).isZero();
    }

    @Test
    void traceReplayRepeatsTheHourPatternEveryHour() {
        String csv = """
                TIMESTAMP,ContextTokens,GeneratedTokens
                2023-11-16 18:15:50.5000000,200,20
                2023-11-16 18:15:46.0000000,100,10
                2023-11-16 18:45:46.0000000,300,30
                """;
        List<AzureTrace.Request> trace = AzureTrace.parse(new StringReader(csv), "t.csv");
        assertThat(trace).extracting(AzureTrace.Request::promptTokens).containsExactly(100, 200, 300);

        List<Arrival> day = AzureTrace.replay(trace, T0, Duration.ofHours(1), 24, 0, 1);

        assertThat(day).hasSize(72);
        assertThat(day.get(3)).isEqualTo(new Arrival(T0.plus(Duration.ofHours(1)), 100, 10));
        assertThat(day.get(5).at()).isEqualTo(T0.plus(Duration.ofMinutes(90)));
        assertThat(AzureTrace.replay(trace, T0, Duration.ofHours(1), 24, 10, 7)).hasSize(10)
                .isEqualTo(AzureTrace.replay(trace, T0, Duration.ofHours(1), 24, 10, 7));
    }
}
