package io.lattice.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.Provenance;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.SignalReading;
import io.lattice.core.signal.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live sources against a loopback server replaying provider responses (hand-written in the documented
 * shapes; see the README next to them). Time is a {@link SteppedClock}: nothing sleeps.
 */
class LiveSignalSourcesTest {

    private static final String KEY = "em-test-key-7f3a9c0d";
    private static final Instant T0 = Instant.parse("2024-05-01T10:20:00Z");
    private static final SignalKind CARBON = SignalKind.CARBON_INTENSITY;
    /** em-forecast-DE.json: hourly from 2024-05-01T11:00Z. */
    private static final double[] EM_FORECAST = {318, 296, 271, 252, 247, 251, 266, 291, 327, 362, 388, 401, 409,
        412, 405, 398, 391, 384, 377, 369, 362, 355, 349, 341};

    private final SteppedClock clock = new SteppedClock(T0);
    private final List<String> logLines = new ArrayList<>();
    private final Logger packageLogger = Logger.getLogger("io.lattice.gateway.signal");
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            synchronized (logLines) {
                logLines.add(r.getLevel() + " " + formatter.formatMessage(r));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;
    private ReplayServer server;
    private final List<LiveSignalSource> sources = new ArrayList<>();

    @BeforeEach
    void setUp() {
        server = new ReplayServer()
                .replay("/v3/carbon-intensity/latest", "em-latest-DE.json")
                .replay("/v3/carbon-intensity/forecast", "em-forecast-DE.json")
                .replay("/intensity", "uk-intensity.json")
                .replay("/intensity/", "uk-fw24h.json")
                .replay("/regional/regionid/13", "uk-regional-13.json")
                .replay("/regional/intensity/", "uk-regional-fw24h-13.json");
        levelBefore = packageLogger.getLevel();
        packageLogger.setLevel(Level.ALL); // DEBUG too: a key must not leak even at the chattiest level
        packageLogger.addHandler(capture);
        packageLogger.setUseParentHandlers(false); // captured, not echoed at FINE into the build output
    }

    @AfterEach
    void tearDown() {
        sources.forEach(LiveSignalSource::close);
        server.close();
        packageLogger.removeHandler(capture);
        packageLogger.setUseParentHandlers(true);
        packageLogger.setLevel(levelBefore);
    }

    private LiveSignals.Builder em() {
        return LiveSignals.electricityMaps("DE", KEY).baseUrl(server.baseUrl()).clock(clock)
                .executor(Runnable::run);
    }

    private LiveSignalSource track(LiveSignalSource s) {
        sources.add(s);
        return s;
    }

    private SignalReading readNow(LiveSignalSource s) {
        return s.read(CARBON, clock.instant()).orElseThrow(() -> new AssertionError("no reading at " + clock.instant()));
    }

    @Test
    void electricityMaps_latestAndForecastAreParsedInGramsPerKwh() {
        LiveSignalSource de = track(em().build());
        de.refresh();

        SignalReading now = readNow(de);
        assertThat(now.value()).isEqualTo(322.0);
        assertThat(now.unit()).isEqualTo("gCO2e/kWh");
        assertThat(now.asOf()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(now.provenance()).isEqualTo(Provenance.LIVE);
        assertThat(de.basis()).isEqualTo(CarbonBasis.LIFECYCLE);

        TimeSeries f = de.forecast(CARBON, T0, 24).orElseThrow();
        assertThat(f.start()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(f.step()).isEqualTo(Duration.ofHours(1));
        assertThat(f.unit()).isEqualTo("gCO2e/kWh");
        // the hour in progress is not in the provider's forecast: it is the current reading
        assertThat(f.get(0)).isEqualTo(322.0);
        for (int h = 1; h < 24; h++) {
            assertThat(f.get(h)).as("hour %d", h).isEqualTo(EM_FORECAST[h - 1]);
        }
        assertThat(de.forecast(CARBON, T0, 26)).as("past the provider's horizon nothing is known").isEmpty();
        assertThat(de.read(SignalKind.PRICE, T0)).isEmpty();

        SourceHealth health = de.health();
        assertThat(health.healthy()).isTrue();
        assertThat(health.source()).isEqualTo("electricity-maps DE");
        assertThat(health.lastSuccess()).isEqualTo(T0);
        assertThat(health.lastError()).isNull();
        assertThat(health.latestValue()).isEqualTo(322.0);
        assertThat(health.forecastUntil()).isEqualTo(Instant.parse("2024-05-02T11:00:00Z"));
    }

    @Test
    void electricityMaps_sendsTheKeyInTheAuthTokenHeaderAndNowhereElse() {
        LiveSignalSource de = track(em().basis(CarbonBasis.DIRECT).build());
        de.refresh();

        assertThat(server.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("auth-token")).isEqualTo(KEY);
            assertThat(r.uri().toString()).doesNotContain(KEY);
            assertThat(r.uri().getQuery()).isEqualTo("zone=DE&emissionFactorType=direct");
        });
        assertThat(server.requests()).extracting(r -> r.uri().getPath())
                .containsExactly("/v3/carbon-intensity/latest", "/v3/carbon-intensity/forecast");
        assertThat(de.toString()).doesNotContain(KEY);
        assertThat(logLines).noneMatch(l -> l.contains(KEY));
    }

    /** The faults a provider can show; each must end in the same fallback sequence. */
    enum Fault {
        UNAUTHORIZED("HTTP 401"),
        SERVER_ERROR("HTTP 500"),
        TIMEOUT("timed out"),
        NOT_JSON("not JSON"),
        WRONG_SHAPE("'carbonIntensity' must be a number");

        final String expectedInError;

        Fault(String expectedInError) {
            this.expectedInError = expectedInError;
        }

        void inject(ReplayServer server) {
            switch (this) {
                // a provider that echoes the rejected token: it must still never reach a message or a log
                case UNAUTHORIZED -> server.respond("/v3/", 401, "{\"message\":\"Invalid auth-token " + KEY + "\"}");
                case SERVER_ERROR -> server.respond("/v3/", 500, "upstream connect error");
                case TIMEOUT -> server.hang("/v3/");
                case NOT_JSON -> server.respond("/v3/", 200, "<html><body>Service temporarily unavailable");
                case WRONG_SHAPE -> server.respond("/v3/", 200,
                        "{\"zone\":\"DE\",\"carbonIntensity\":\"n/a\",\"datetime\":\"2024-05-01T11:00:00.000Z\","
                                + "\"forecast\":[{\"carbonIntensity\":\"n/a\",\"datetime\":\"2024-05-01T12:00:00.000Z\"}]}");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void failingSource_fallsBackToLastGoodThenToTheForecastAndSaysSo(Fault fault) {
        LiveSignalSource de = track(em().requestTimeout(Duration.ofMillis(fault == Fault.TIMEOUT ? 300 : 5_000))
                .build());
        de.refresh();
        assertThat(readNow(de).provenance()).isEqualTo(Provenance.LIVE);
        fault.inject(server);

        // 45 min after the value's hour ended: older than "current" (1 h) but younger than 3 h
        clock.set(Instant.parse("2024-05-01T11:05:00Z"));
        de.refresh();
        SignalReading lastGood = readNow(de);
        assertThat(lastGood.provenance()).isEqualTo(Provenance.LAST_GOOD);
        assertThat(lastGood.value()).isEqualTo(322.0);
        assertThat(lastGood.asOf()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        SourceHealth h1 = de.health();
        assertThat(h1.consecutiveFailures()).isEqualTo(1);
        assertThat(h1.lastSuccess()).isEqualTo(T0);
        assertThat(h1.lastAttempt()).isEqualTo(clock.instant());
        assertThat(h1.lastError()).contains(fault.expectedInError);
        assertThat(h1.provenanceNow()).isEqualTo(Provenance.LAST_GOOD);
        assertThat(h1.healthy()).isFalse();

        // past the rule's 3 h: the provider's forecast for 13:00, issued at the last good poll
        clock.set(Instant.parse("2024-05-01T13:10:00Z"));
        de.refresh();
        SignalReading forecast = readNow(de);
        assertThat(forecast.provenance()).isEqualTo(Provenance.FORECAST);
        assertThat(forecast.value()).isEqualTo(271.0);
        assertThat(forecast.asOf()).isEqualTo(Instant.parse("2024-05-01T13:00:00Z"));
        assertThat(de.health().consecutiveFailures()).isEqualTo(2);
        assertThat(de.health().provenanceNow()).isEqualTo(Provenance.FORECAST);

        // past the forecast's end: unknown, never 0
        clock.set(Instant.parse("2024-05-02T11:30:00Z"));
        assertThat(de.read(CARBON, clock.instant())).isEmpty();
        assertThat(de.health().provenanceNow()).isNull();

        assertThat(de.health().toString()).doesNotContain(KEY);
        assertThat(de.toString()).doesNotContain(KEY);
        assertThat(logLines).as("a failure is logged once per outage, at WARNING")
                .filteredOn(l -> l.startsWith("WARNING")).hasSize(1).first().asString()
                .contains(fault.expectedInError);
        assertThat(logLines).noneMatch(l -> l.contains(KEY));
    }

    @Test
    void failingSource_recoversOnTheNextGoodPoll() {
        LiveSignalSource de = track(em().build());
        de.refresh();
        server.respond("/v3/", 503, "maintenance");
        clock.advance(Duration.ofMinutes(30));
        de.refresh();
        assertThat(de.health().consecutiveFailures()).isEqualTo(1);

        server.replay("/v3/carbon-intensity/latest", "em-latest-DE.json")
                .replay("/v3/carbon-intensity/forecast", "em-forecast-DE.json");
        clock.advance(Duration.ofMinutes(2));
        de.refresh();

        assertThat(de.health().consecutiveFailures()).isZero();
        assertThat(de.health().lastError()).isNull();
        assertThat(de.health().lastSuccess()).isEqualTo(clock.instant());
        assertThat(logLines).anyMatch(l -> l.startsWith("INFO") && l.contains("recovered after 1 failed poll"));
    }

    @Test
    void reads_pollWhenDue_andRetryAFailureOnlyAfterTheGap() {
        LiveSignalSource de = track(em().refreshEvery(Duration.ofMinutes(10)).retryAfter(Duration.ofMinutes(1))
                .build());

        assertThat(readNow(de).value()).as("the first read polls (synchronously with this executor)")
                .isEqualTo(322.0);
        assertThat(server.requests()).hasSize(2);
        clock.advance(Duration.ofMinutes(9));
        readNow(de);
        assertThat(server.requests()).as("younger than refreshEvery: no poll").hasSize(2);
        clock.advance(Duration.ofMinutes(1));
        server.respond("/v3/", 500, "down");
        server.replay("/v3/carbon-intensity/latest", "em-latest-DE.json"); // latest answers, forecast fails
        server.respond("/v3/carbon-intensity/forecast", 500, "forecast model down");
        readNow(de);
        assertThat(server.requests()).hasSize(4);
        assertThat(de.health().lastError()).contains("HTTP 500").contains("forecast model down");
        assertThat(de.health().forecastUntil()).as("the forecast held from before is kept")
                .isEqualTo(Instant.parse("2024-05-02T11:00:00Z"));
        clock.advance(Duration.ofSeconds(59));
        readNow(de);
        assertThat(server.requests()).as("within the retry gap: no poll").hasSize(4);
        clock.advance(Duration.ofSeconds(1));
        readNow(de);
        assertThat(server.requests()).as("the gap has passed: retry").hasSize(6);
    }

    @Test
    void read_neverWaitsForTheNetwork() {
        server.hang("/v3/");
        // the default executor: polls run on the source's own virtual threads
        LiveSignalSource de = track(LiveSignals.electricityMaps("DE", KEY).baseUrl(server.baseUrl()).clock(clock)
                .build());

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(de.read(CARBON, T0)).as("nothing known yet, and no waiting for the hung poll").isEmpty();
            assertThat(de.forecast(CARBON, T0, 6)).isEmpty();
        });
        assertThat(de.health().provenanceNow()).isNull();
    }

    @Test
    void ukCarbonIntensity_national_usesTheMeteredActualAndAveragesHalfHoursIntoHours() {
        LiveSignalSource gb = track(LiveSignals.ukCarbonIntensity().baseUrl(server.baseUrl()).clock(clock)
                .executor(Runnable::run).build());
        gb.refresh();

        SignalReading now = readNow(gb);
        assertThat(now.value()).as("actual, not NESO's forecast of 131").isEqualTo(127.0);
        assertThat(now.asOf()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(now.provenance()).isEqualTo(Provenance.LIVE);
        assertThat(gb.basis()).isEqualTo(CarbonBasis.DIRECT);

        TimeSeries f = gb.forecast(CARBON, T0, 24).orElseThrow();
        assertThat(f.step()).isEqualTo(Duration.ofHours(1));
        assertThat(f.get(0)).isEqualTo((131 + 128) / 2.0);
        assertThat(f.get(1)).isEqualTo((124 + 119) / 2.0);
        assertThat(f.get(23)).isEqualTo((154 + 146) / 2.0);

        assertThat(server.requests()).extracting(r -> r.uri().getPath())
                .containsExactly("/intensity", "/intensity/2024-05-01T10:20Z/fw24h");
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("auth-token")).isNull());

        // the half-hourly forecast answers a fallback read for its half hour
        server.respond("/intensity", 500, "down").respond("/intensity/", 500, "down");
        clock.set(Instant.parse("2024-05-01T14:40:00Z"));
        gb.refresh();
        SignalReading fallback = readNow(gb);
        assertThat(fallback.provenance()).isEqualTo(Provenance.FORECAST);
        assertThat(fallback.value()).isEqualTo(114.0);
        assertThat(fallback.asOf()).isEqualTo(Instant.parse("2024-05-01T14:30:00Z"));
    }

    @Test
    void ukCarbonIntensity_regional_readsTheRegionsForecastFigures() {
        LiveSignalSource london = track(LiveSignals.ukCarbonIntensity().region(13).baseUrl(server.baseUrl())
                .clock(clock).executor(Runnable::run).build());
        london.refresh();

        assertThat(london.health().lastError()).isNull();
        assertThat(readNow(london).value()).isEqualTo(142.0);
        assertThat(london.forecast(CARBON, T0, 2).orElseThrow().values()).containsExactly(
                (142 + 139) / 2.0, (135 + 130) / 2.0);
        assertThat(london.name()).isEqualTo("uk-carbon-intensity region 13");
        assertThat(server.requests()).extracting(r -> r.uri().getPath())
                .containsExactly("/regional/regionid/13", "/regional/intensity/2024-05-01T10:20Z/fw24h/regionid/13");
    }

    @Test
    void forecastWithAGap_isRejectedNamingThePoint() {
        server.respond("/v3/carbon-intensity/forecast", 200, "{\"zone\":\"DE\",\"forecast\":["
                + "{\"carbonIntensity\":300,\"datetime\":\"2024-05-01T11:00:00.000Z\"},"
                + "{\"carbonIntensity\":310,\"datetime\":\"2024-05-01T12:00:00.000Z\"},"
                + "{\"carbonIntensity\":320,\"datetime\":\"2024-05-01T14:00:00.000Z\"}]}");
        LiveSignalSource de = track(em().build());
        de.refresh();

        assertThat(de.health().lastError()).contains("forecast point 2 is at 2024-05-01T14:00:00Z")
                .contains("2024-05-01T13:00:00Z was expected");
        assertThat(de.health().forecastUntil()).isNull();
        assertThat(readNow(de).provenance()).as("the latest value is still good").isEqualTo(Provenance.LIVE);
    }

    @Test
    void closedSource_pollsNoMore() {
        LiveSignalSource de = track(em().build());
        de.refresh();
        de.close();
        de.close(); // idempotent

        clock.advance(Duration.ofHours(1));
        de.read(CARBON, clock.instant());
        assertThat(server.requests()).hasSize(2);
        assertThatThrownBy(de::refresh).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void badConfiguration_isRejectedNamingTheRuleButNeverTheKey() {
        assertThatThrownBy(() -> LiveSignals.electricityMaps("DE", " "))
                .hasMessageContaining("API key").hasMessageContaining("blank");
        assertThatThrownBy(() -> LiveSignals.ukCarbonIntensity().basis(CarbonBasis.LIFECYCLE))
                .hasMessageContaining("direct emissions only");
        assertThatThrownBy(() -> LiveSignals.electricityMaps("DE", KEY).region(3))
                .hasMessageContaining("UK Carbon Intensity API only").satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain(KEY));
        assertThatThrownBy(() -> LiveSignals.ukCarbonIntensity().region(18)).hasMessageContaining("[1, 17]");
        assertThatThrownBy(() -> LiveSignals.ukCarbonIntensity().baseUrl(java.net.URI.create("ftp://x")))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> LiveSignals.ukCarbonIntensity().refreshEvery(Duration.ZERO))
                .hasMessageContaining("refreshEvery must be at least");
    }
}
