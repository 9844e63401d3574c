package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.lattice.core.signal.Provenance;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.SignalReading;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A sites file whose carbon comes live from Electricity Maps (recorded answers on loopback). */
class LiveCarbonSitesTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:20:00Z");

    private HttpServer server;
    private final ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startRecordedApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3/carbon-intensity/", exchange -> {
            tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("auth-token")));
            String file = exchange.getRequestURI().getPath().endsWith("/latest") ? "em-latest-DE.json"
                    : "em-forecast-DE.json";
            byte[] body;
            try (InputStream in = getClass().getResourceAsStream("signal/" + file)) {
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String yaml(String live) {
        return """
                sites:
                  - id: frankfurt
                    country: DE
                    lat: 50.1
                    lon: 8.7
                    pue: 1.3
                    signals:
                      generated:
                        carbon: {base: 999}
                        price: {base: 120}
                """ + live;
    }

    private List<GatewaySite> parse(String yaml, Map<String, String> env) {
        return SitesFile.parse(yaml, "sites.yaml", Path.of("."), NOW, Set.of(),
                Clock.fixed(NOW, ZoneOffset.UTC), env::get);
    }

    @Test
    void liveCarbon_overridesTheGeneratedCarbonOnceItHasPolled_andKeepsGeneratedPrice() throws Exception {
        GatewaySite site = parse(yaml("""
                      live-carbon: {provider: electricity-maps, zone: DE, api-key-env: EM_KEY, base-url: "http://127.0.0.1:%d"}
                """.formatted(server.getAddress().getPort())), Map.of("EM_KEY", "secret-key")).getFirst();

        // the live source polls in the background and answers from what it holds: wait for the first poll
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        Optional<SignalReading> carbon = site.signals().read(SignalKind.CARBON_INTENSITY, NOW);
        while (carbon.map(r -> r.provenance() != Provenance.LIVE).orElse(true) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            carbon = site.signals().read(SignalKind.CARBON_INTENSITY, NOW);
        }

        assertThat(carbon).get().extracting(SignalReading::value).isEqualTo(322.0);
        assertThat(carbon.get().provenance()).isEqualTo(Provenance.LIVE);
        assertThat(tokens).contains("secret-key");
        assertThat(site.signals().read(SignalKind.PRICE, NOW)).get()
                .extracting(SignalReading::provenance).isEqualTo(Provenance.GENERATED);
    }

    @Test
    void liveCarbon_withItsKeyVariableUnset_namesTheVariable() {
        assertThatThrownBy(() -> parse(yaml("""
                      live-carbon: {provider: electricity-maps, zone: DE, api-key-env: EM_KEY}
                """), Map.of()))
                .hasMessageContaining("sites.yaml")
                .hasMessageContaining("live-carbon.api-key-env = EM_KEY")
                .hasMessageContaining("not set");
    }

    @Test
    void liveCarbon_withUnknownProvider_isRefused() {
        assertThatThrownBy(() -> parse(yaml("""
                      live-carbon: {provider: watttime}
                """), Map.of()))
                .hasMessageContaining("live-carbon.provider = watttime")
                .hasMessageContaining("electricity-maps or uk-carbon-intensity");
    }
}
