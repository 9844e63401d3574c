package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.core.GeoPoint;
import io.lattice.core.energy.CostModel;
import io.lattice.core.energy.HeatSink;
import io.lattice.core.energy.Jurisdiction;
import io.lattice.core.energy.Site;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Energy-aware placement through a real gateway and real node agents on loopback, in a constructed
 * situation with constant signals and a clock that stands still. The differences are wide on purpose:
 * nodes learn their own J/token as they serve, and the tiny test model's learned figure is about 75
 * times below the prior's (made for 7-8B models), so a node that has served looks far cheaper in
 * energy than one still on the prior; the choices must not depend on test order.
 * <ul>
 *   <li>{@code brittany} (FR): clean (0.5 gCO2e/kWh) but dear (150 USD/MWh), ~23 ms from the gateway,
 *       with a greenhouse that wants far more heat than the node makes (worth 0.05 USD/kWh_th);</li>
 *   <li>{@code frankfurt} (DE): dirty (600) and paid to take power (-20 USD/MWh), next to the gateway
 *       (~5 ms);</li>
 *   <li>{@code texas} (US): dirty (500), 90 USD/MWh and far (~180 ms);</li>
 *   <li>{@code mystery}: a node whose site is not in the sites file.</li>
 * </ul>
 */
class EnergyPlacementTest {

    private static final Instant NOW = Instant.parse("2026-01-15T03:00:00Z");
    private static final GeoPoint GATEWAY_AT = new GeoPoint(50.11, 8.68);
    private static final double BRITTANY_PUE = 1.1;
    private static final double BRITTANY_WUE = 0.2;
    private static final double BRITTANY_CARBON = 0.5;
    private static final double BRITTANY_PRICE = 150;
    private static final double HEAT_VALUE = 0.05;

    private static Mesh mesh;

    @BeforeAll
    static void start() {
        List<GatewaySite> sites = List.of(
                site(new Site("brittany", "FR", BRITTANY_PUE, BRITTANY_WUE, Double.POSITIVE_INFINITY,
                        Jurisdiction.parse("FR-BRE"), new GeoPoint(48.1, -3.0), HeatSink.worth(HEAT_VALUE)),
                        BRITTANY_CARBON, BRITTANY_PRICE, 1000),
                site(new Site("frankfurt", "DE-LU", 1.3, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse("DE"),
                        new GeoPoint(50.1, 8.7), HeatSink.NONE), 600, -20, 0),
                site(new Site("texas", "US-TEX-ERCO", 1.2, 1.0, Double.POSITIVE_INFINITY, Jurisdiction.parse("US"),
                        new GeoPoint(32.0, -102.0), HeatSink.NONE), 500, 90, 0));
        GatewayConfig config = GatewayConfig.defaults().withClock(new MutableClock(NOW)).withSites(sites)
                .withLocation(GATEWAY_AT);
        mesh = Mesh.start(config, "brittany", "frankfurt", "texas", "mystery");
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    private static GatewaySite site(Site site, double carbon, double price, double heatKwTh) {
        return ConstantSites.site(site, carbon, price, heatKwTh);
    }

    private static HttpResponse<String> chat(String... headers) {
        return chat(false, headers);
    }

    private static HttpResponse<String> chat(boolean stream, String... headers) {
        // a node's queue as its last heartbeat reported it counts in the TTFT estimate: start from an idle mesh
        mesh.awaitRegistry("idle nodes", data -> {
            for (JsonNode n : data) {
                if (n.get("in_flight").asInt() + n.get("queue_depth").asInt() + n.get("gateway_in_flight").asInt() > 0) {
                    return false;
                }
            }
            return true;
        });
        String body = "{\"model\":\"" + Mesh.CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Say hello to the greenhouse.\"}],\"max_tokens\":8"
                + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
        HttpRequest.Builder request = HttpRequest.newBuilder(mesh.gateway().baseUrl().resolve("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return mesh.http().send(request);
    }

    private static String node(HttpResponse<String> response) {
        return response.headers().firstValue("x-lattice-node").orElse(null);
    }

    @Test
    void greenest_goesToTheCleanSite() {
        HttpResponse<String> r = chat("x-lattice-policy", "greenest");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(node(r)).isEqualTo("brittany-1");
        assertThat(r.headers().firstValue("x-lattice-policy")).hasValue("greenest");
    }

    @Test
    void cheapest_goesToTheCheapSite() {
        HttpResponse<String> r = chat("x-lattice-policy", "cheapest");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(node(r)).isEqualTo("frankfurt-1");
    }

    @Test
    void greenestWithATightTtftObjective_goesToTheCloseSite() {
        // Brittany is ~23 ms away by the distance model, Frankfurt ~5 ms
        HttpResponse<String> r = chat("x-lattice-policy", "greenest", "x-lattice-ttft-ms", "15");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(node(r)).isEqualTo("frankfurt-1");
    }

    @Test
    void jurisdictionFr_restrictsToTheFrenchSiteEvenForCheapest() {
        HttpResponse<String> r = chat("x-lattice-policy", "cheapest", "x-lattice-jurisdiction", "FR");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(node(r)).isEqualTo("brittany-1");
    }

    @Test
    void jurisdictionWithNoLiveSite_is503NamingTheHeaderNotASilentMove() {
        HttpResponse<String> r = chat("x-lattice-jurisdiction", "IT,AT");

        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode error = Http.json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo("no_node_in_jurisdiction");
        assertThat(error.get("param").asText()).isEqualTo("x-lattice-jurisdiction");
        assertThat(error.get("message").asText()).contains("[AT, IT]").contains("brittany-1 at brittany (FR-BRE)")
                .contains("mystery-1 at mystery (unknown site)");
    }

    @Test
    void invalidPolicyHeader_is400NamingTheHeader() {
        HttpResponse<String> r = chat("x-lattice-policy", "cheapest-please");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(r).get("error");
        assertThat(error.get("param").asText()).isEqualTo("x-lattice-policy");
        assertThat(error.get("message").asText()).contains("cheapest-please").contains("fastest, cheapest, greenest,"
                + " balanced");
    }

    @Test
    void invalidTtftAndJurisdictionHeaders_are400NamingTheHeader() {
        assertThat(Http.json(chat("x-lattice-ttft-ms", "-3")).get("error").get("param").asText())
                .isEqualTo("x-lattice-ttft-ms");
        assertThat(Http.json(chat("x-lattice-jurisdiction", "France")).get("error").get("param").asText())
                .isEqualTo("x-lattice-jurisdiction");
    }

    @Test
    void explain_listsEveryCandidateInTheBodyAndOneAsciiHeaderLineEach() {
        HttpResponse<String> r = chat("x-lattice-policy", "greenest", "x-lattice-explain", "true",
                "x-lattice-ttft-ms", "100");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode explain = Http.json(r).get("lattice").get("explain");
        assertThat(explain.get("policy").asText()).isEqualTo("greenest");
        List<String> nodes = new ArrayList<>();
        explain.get("candidates").forEach(c -> nodes.add(c.get("node").asText()));
        assertThat(nodes).containsExactlyInAnyOrder("brittany-1", "frankfurt-1", "texas-1", "mystery-1");
        for (JsonNode c : explain.get("candidates")) {
            switch (c.get("node").asText()) {
                case "brittany-1" -> assertThat(c.get("chosen").asBoolean()).as(explain.toString()).isTrue();
                case "texas-1" -> {
                    assertThat(c.get("eligible").asBoolean()).as(explain.toString()).isFalse();
                    assertThat(c.get("exclusions").get(0).get("reason").asText()).isEqualTo("ttft_objective");
                }
                case "mystery-1" -> assertThat(c.get("site_known").asBoolean()).isFalse();
                default -> assertThat(c.get("chosen").asBoolean()).as(explain.toString()).isFalse();
            }
        }
        List<String> lines = r.headers().allValues("x-lattice-explain");
        assertThat(lines).hasSize(4);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("brittany-1 @ brittany").contains("CHOSEN"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("mystery-1 @ mystery").contains("unknown site"));
        assertThat(String.join("", lines)).matches("[\\x20-\\x7e]*");
    }

    @Test
    void usageLattice_isPresentMatchesTheHeadersAndTheArithmeticOfTheSite() {
        HttpResponse<String> r = chat("x-lattice-policy", "greenest");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode usage = Http.json(r).get("usage");
        JsonNode lattice = usage.get("lattice");
        assertThat(lattice.get("node").asText()).isEqualTo("brittany-1");
        assertThat(lattice.get("site").asText()).isEqualTo("brittany");
        assertThat(lattice.get("policy").asText()).isEqualTo("greenest");
        assertThat(lattice.get("estimated").asBoolean()).isTrue();
        double energyJ = lattice.get("energy_j").asDouble();
        assertThat(energyJ).isPositive();
        // headers and body say the same
        assertThat(header(r, "x-lattice-energy-j")).isEqualTo(energyJ);
        assertThat(header(r, "x-lattice-carbon-g")).isEqualTo(lattice.get("carbon_g").asDouble());
        assertThat(header(r, "x-lattice-cost-usd")).isEqualTo(lattice.get("cost_usd").asDouble());
        assertThat(header(r, "x-lattice-water-l")).isEqualTo(lattice.get("water_l").asDouble());
        assertThat(header(r, "x-lattice-heat-reused-kwh")).isEqualTo(lattice.get("heat_reused_kwh").asDouble());
        assertThat(r.headers().firstValue("x-lattice-estimated")).hasValue("true");
        // the site's arithmetic, by hand: no on-site generation; the greenhouse wants far more heat than the
        // node makes, so all recovered heat (90 %) counts
        double itKwh = energyJ / CostModel.JOULES_PER_KWH;
        double facilityKwh = itKwh * BRITTANY_PUE;
        double heatKwh = itKwh * HeatSink.DEFAULT_RECOVERY_FRACTION;
        assertThat(lattice.get("carbon_g").asDouble()).isCloseTo(facilityKwh * BRITTANY_CARBON, within(1e-12));
        assertThat(lattice.get("water_l").asDouble()).isCloseTo(itKwh * BRITTANY_WUE, within(1e-12));
        assertThat(lattice.get("heat_reused_kwh").asDouble()).isCloseTo(heatKwh, within(1e-12));
        assertThat(lattice.get("cost_usd").asDouble())
                .isCloseTo(facilityKwh * BRITTANY_PRICE / 1000 - heatKwh * HEAT_VALUE, within(1e-12));
        // energy: tokens times the J/token basis the response names (the node's learned figures, the mesh's
        // mean while it learns, or the prior 0.22 J/prompt, 1.1 J/output)
        int prompt = usage.get("prompt_tokens").asInt();
        int completion = usage.get("completion_tokens").asInt();
        double perPrompt = lattice.get("joules_per_prompt_token").asDouble();
        double perOutput = lattice.get("joules_per_output_token").asDouble();
        assertThat(perPrompt).isPositive();
        assertThat(perOutput).isPositive();
        assertThat(energyJ).isCloseTo(perPrompt * prompt + perOutput * completion, within(1e-9));
    }

    @Test
    void streamedWithIncludeUsage_finalUsageChunkCarriesTheFigures() throws Exception {
        HttpResponse<String> r = chat(true, "x-lattice-policy", "cheapest");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode last = io.lattice.api.Json.mapper().readTree(data.get(data.size() - 2));
        JsonNode lattice = last.get("usage").get("lattice");
        assertThat(lattice.get("node").asText()).isEqualTo("frankfurt-1");
        assertThat(lattice.get("site").asText()).isEqualTo("frankfurt");
        assertThat(lattice.get("energy_j").asDouble()).isPositive();
        assertThat(lattice.get("carbon_g").asDouble()).isPositive();
        assertThat(lattice.get("heat_reused_kwh").asDouble()).isZero();
        // the other chunks are passed on as the node wrote them
        for (String d : data.subList(0, data.size() - 2)) {
            assertThat(d).doesNotContain("\"lattice\"");
        }
    }

    private static double header(HttpResponse<String> r, String name) {
        return Double.parseDouble(r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name)));
    }
}
