package io.lattice.core.energy;

import io.lattice.core.GeoPoint;

import static io.lattice.core.energy.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lattice.core.Candidate;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sites, jurisdictions, locations, round trips, profiles and conditions: values and their validation. */
class SiteModelTest {

    private static Site site(double pue, double wue, double limitKw) {
        return new Site("farm-1", "DE-LU", pue, wue, limitKw, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                HeatSink.NONE);
    }

    @Test
    void site_rejectsAPueBelowOneNamingSiteFieldValueAndRule() {
        assertThatThrownBy(() -> site(0.9, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("site farm-1: pue must be >= 1.0 but was 0.9 (facility energy cannot be less than IT energy)");
    }

    @Test
    void site_rejectsNegativeWaterAndNonPositivePowerLimits() {
        assertThatThrownBy(() -> site(1.2, -0.1, 10)).hasMessageContaining("site farm-1: wueLitresPerKwh")
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> site(1.2, 0, 0)).hasMessageContaining("site farm-1: powerLimitKw must be > 0")
                .hasMessageContaining("but was 0.0");
        assertThatThrownBy(() -> site(Double.NaN, 0, 10)).hasMessageContaining("pue must be a finite number");
        assertThat(site(1.0, 0, Double.POSITIVE_INFINITY).powerLimitKw()).isInfinite();
    }

    @Test
    void site_rejectsBlankIdAndMissingHeatSink() {
        assertThatThrownBy(() -> new Site(" ", "DE-LU", 1.2, 0, 10, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                HeatSink.NONE)).hasMessage("Site: id must not be blank but was ' '");
        assertThatThrownBy(() -> new Site("s", "DE-LU", 1.2, 0, 10, Jurisdiction.parse("DE"), Fixtures.FRANKFURT,
                null)).hasMessageContaining("heatSink must not be null (use HeatSink.NONE)");
    }

    @Test
    void heatSink_noneReusesNothingAndWorthUsesTheDefaultRecovery() {
        assertThat(HeatSink.NONE.isNone()).isTrue();
        assertThat(HeatSink.worth(0.05)).isEqualTo(new HeatSink(0.05, HeatSink.DEFAULT_RECOVERY_FRACTION));
        assertThatThrownBy(() -> new HeatSink(0.05, 1.5)).hasMessageContaining("recoveryFraction must be between 0 and 1");
    }

    @Test
    void jurisdiction_parsesCountryAndRegionCodesCaseInsensitively() {
        assertThat(Jurisdiction.parse("fr")).isEqualTo(new Jurisdiction("FR", null));
        assertThat(Jurisdiction.parse(" FR-bre ")).isEqualTo(new Jurisdiction("FR", "FR-BRE"));
        assertThat(Jurisdiction.parse("FR-BRE").code()).isEqualTo("FR-BRE");
        assertThat(Jurisdiction.parse("US-CA").country()).isEqualTo("US");
    }

    @Test
    void jurisdiction_rejectsMalformedCodesQuotingThem() {
        assertThatThrownBy(() -> Jurisdiction.parse("France")).hasMessageContaining("'France'");
        assertThatThrownBy(() -> Jurisdiction.parse("FR_BRE")).hasMessageContaining("'FR_BRE'");
        assertThatThrownBy(() -> new Jurisdiction("FR", "DE-BY"))
                .hasMessageContaining("subdivision must be an upper-case ISO 3166-2 code of FR");
    }

    @Test
    void jurisdiction_countryAdmitsItsRegionsButARegionAdmitsOnlyItself() {
        Jurisdiction rennes = Jurisdiction.parse("FR-BRE");
        Jurisdiction paris = Jurisdiction.parse("FR-IDF");
        Jurisdiction france = Jurisdiction.parse("FR");

        assertThat(rennes.within(france)).isTrue();
        assertThat(paris.within(france)).isTrue();
        assertThat(france.within(france)).isTrue();
        assertThat(rennes.within(rennes)).isTrue();
        assertThat(paris.within(rennes)).isFalse();
        assertThat(france.within(rennes)).isFalse();
        assertThat(rennes.within(Jurisdiction.parse("DE"))).isFalse();
        assertThat(rennes.withinAny(Set.of())).isTrue();
        assertThat(rennes.withinAny(Set.of("DE", "FR-BRE"))).isTrue();
    }

    @Test
    void geoPoint_oneDegreeOfLongitudeOnTheEquatorIs111Km() {
        // 2π × 6371.0088 km / 360 = 111.1951 km
        assertThat(new GeoPoint(0, 0).distanceKm(new GeoPoint(0, 1))).isCloseTo(111.1951, within(1e-3));
        assertThat(Fixtures.PARIS.distanceKm(Fixtures.PARIS)).isZero();
    }

    @Test
    void geoPoint_parisToBerlinIsAbout878Km() {
        assertThat(Fixtures.PARIS.distanceKm(Fixtures.BERLIN)).isCloseTo(878, within(5.0));
        assertThat(Fixtures.BERLIN.distanceKm(Fixtures.PARIS)).isEqualTo(Fixtures.PARIS.distanceKm(Fixtures.BERLIN));
    }

    @Test
    void geoPoint_rejectsOutOfRangeCoordinates() {
        assertThatThrownBy(() -> new GeoPoint(91, 0)).hasMessageContaining("latitudeDeg").hasMessageContaining("91");
        assertThatThrownBy(() -> new GeoPoint(0, 181)).hasMessageContaining("longitudeDeg");
    }

    @Test
    void rttModel_doublesTheFibreDelayOfTheStretchedPathAndAddsTheOverhead() {
        // 2 × 111.1951 km × route factor 2 / 200 km/ms + 5 ms = 7.2239 ms
        Rtt rtt = RttModel.DEFAULT.estimate(new GeoPoint(0, 0), new GeoPoint(0, 1));
        assertThat(rtt.ms()).isCloseTo(7.2239, within(1e-3));
        assertThat(rtt.measured()).isFalse();
        // a straight fibre with no overhead: 1 degree is 1.1120 ms there and back
        assertThat(new RttModel(200, 1, 0).estimateMs(new GeoPoint(0, 0), new GeoPoint(0, 1)))
                .isCloseTo(1.1120, within(1e-3));
        assertThat(RttModel.DEFAULT.estimateMs(Fixtures.PARIS, Fixtures.BERLIN)).isBetween(22.0, 23.0);
        assertThatThrownBy(() -> new RttModel(200, 0.5, 0)).hasMessageContaining("routeFactor");
    }

    @Test
    void profile_priorIsEstimatedAndGivesTheDocumentedFigures() {
        EnergyProfile p = EnergyProfile.PRIOR;

        assertThat(p.measured()).isFalse();
        // typical request 1020 prompt + 129 output tokens: 1020 × 0.22 + 129 × 1.1 = 366.3 J
        assertThat(p.energyJ(1020, 129)).isCloseTo(366.3, within(1e-9));
        // 1020 / 1000 tokens/s + 129 / 30 tokens/s = 1.02 s + 4.3 s
        assertThat(p.serviceMs(1020, 129)).isCloseTo(5320, within(1e-9));
        assertThatThrownBy(() -> new EnergyProfile(0.2, 1, 0, 30, false))
                .hasMessageContaining("prefillTokensPerSecond must be > 0 but was 0.0");
    }

    @Test
    void queueState_takesTheFresherOfNodeAndGatewayCountsAndTheProfilesTypicalServiceTime() {
        var c = Fixtures.node("n").queue(2).build().candidate();
        var busierThanReported = new Candidate(c.telemetry(), 5, 0);

        QueueState q = QueueState.of(busierThanReported, EnergyProfile.PRIOR);

        assertThat(q.depth()).isEqualTo(5);
        assertThat(q.waitMs()).isCloseTo(5 * 5320, within(1e-6));
        assertThat(new QueueState(4, 500, 2).waitMs()).as("3 must finish, 2 at a time").isEqualTo(750);
        assertThat(new QueueState(1, 500, 2).waitMs()).as("a slot is free").isZero();
        assertThat(new QueueState(2, 500, 2).waitMs()).as("one finishes first").isEqualTo(250);
        assertThatThrownBy(() -> new QueueState(1, 500, 0)).hasMessageContaining("parallelism must be >= 1 but was 0");
    }

    @Test
    void conditions_keepNegativePricesAndRejectNegativeCarbon() {
        assertThat(new SiteConditions(NOW, 100, -80, 0, 0, 0).priceUsdPerMwh()).isEqualTo(-80);
        assertThatThrownBy(() -> new SiteConditions(NOW, -1, 50, 0, 0, 0))
                .hasMessageContaining("carbonIntensityGPerKwh must be >= 0.0 but was -1.0");
        assertThatThrownBy(() -> new SiteConditions(NOW, 1, Double.NaN, 0, 0, 0))
                .hasMessageContaining("priceUsdPerMwh must be a finite number but was NaN");
        assertThat(new SiteConditions(NOW, 1, 1, 0, 0, 0).estimated()).isFalse();
    }

    @Test
    void energyCandidate_rejectsASiteOtherThanTheOneTheNodeReports() {
        EnergyCandidate c = Fixtures.node("n").build();

        assertThatThrownBy(() -> new EnergyCandidate(c.candidate(), Fixtures.site("elsewhere"), c.conditions(),
                c.profile(), c.queue(), c.rtt()))
                .hasMessage("EnergyCandidate: node n reports site 'site-n' but was given site 'elsewhere'");
    }
}
