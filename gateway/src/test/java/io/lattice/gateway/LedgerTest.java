package io.lattice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.lattice.api.Json;
import io.lattice.core.GeoPoint;
import io.lattice.core.energy.HeatSink;
import io.lattice.core.energy.Jurisdiction;
import io.lattice.core.energy.Site;
import io.lattice.store.LedgerEntry;
import io.lattice.store.LedgerQuery;
import io.lattice.store.LedgerStatus;
import io.lattice.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Every request through a real gateway and real node agents on loopback lands in the ledger (a
 * SQLite file in the mesh's temporary directory), with the very figures its response carried, and
 * {@code GET /lattice/v1/ledger} sums them.
 *
 * <p>The gateway's clock stands still except where a test moves it: each test first moves it an hour
 * on and asks the ledger only about its own hour, so tests do not see each other's requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class LedgerTest {

    private static final Instant START = Instant.parse("2026-01-10T03:00:00Z");
    private static final Set<String> KNOWN = Set.of("brittany-1", "frankfurt-1", "texas-1");
    private static final Set<String> ALL = Set.of("brittany-1", "frankfurt-1", "texas-1", "mystery-1");
    private static final Map<String, String> JURISDICTION = Map.of("brittany", "FR-BRE", "frankfurt", "DE",
            "texas", "US");
    private static final double EPS = 1e-9;

    private final MutableClock clock = new MutableClock(START);
    private Mesh mesh;

    @BeforeAll
    void start() {
        List<GatewaySite> sites = List.of(
                site(new Site("brittany", "FR", 1.1, 0.2, Double.POSITIVE_INFINITY, Jurisdiction.parse("FR-BRE"),
                        new GeoPoint(48.1, -3.0), HeatSink.worth(0.05)), 0.5, 150, 1000),
                site(new Site("frankfurt", "DE-LU", 1.3, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse("DE"),
                        new GeoPoint(50.1, 8.7), HeatSink.NONE), 600, -20, 0),
                site(new Site("texas", "US-TEX-ERCO", 1.2, 1.0, Double.POSITIVE_INFINITY, Jurisdiction.parse("US"),
                        new GeoPoint(32.0, -102.0), HeatSink.NONE), 500, 90, 0));
        mesh = Mesh.start(GatewayConfig.defaults().withClock(clock).withSites(sites), "brittany", "frankfurt", "texas",
                "mystery");
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    private static GatewaySite site(Site site, double carbon, double price, double heatKwTh) {
        return ConstantSites.site(site, carbon, price, heatKwTh);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void sumOfLedger_equalsSumOfResponses_streamedIncluded() {
        Instant from = nextHour();
        List<Figures> responses = new ArrayList<>();
        responses.add(figures(send("/v1/chat/completions", chat(false, true), "x-lattice-policy", "greenest")));
        responses.add(figures(send("/v1/chat/completions", chat(false, true), "x-lattice-policy", "cheapest")));
        responses.add(figures(send("/v1/chat/completions", chat(true, true), "x-lattice-policy", "greenest")));
        responses.add(figures(send("/v1/chat/completions", chat(true, true), "x-lattice-policy", "cheapest")));
        responses.add(figures(send("/v1/chat/completions", chat(false, true), "x-lattice-policy", "fastest")));
        responses.add(figures(send("/v1/completions", completion(true), "x-lattice-policy", "balanced")));
        responses.add(figures(send("/v1/completions", completion(false))));
        responses.add(figures(send("/v1/embeddings", embedding("the greenhouse is warm"))));
        Instant to = from.plusSeconds(1);

        JsonNode ledger = awaitLedger(from, to, responses.size(), "&by=site&limit=100");

        JsonNode totals = ledger.get("totals");
        assertThat(totals.get("requests").asLong()).isEqualTo(responses.size());
        assertThat(totals.get("prompt_tokens").asLong()).isEqualTo(responses.stream().mapToLong(Figures::prompt).sum());
        assertThat(totals.get("completion_tokens").asLong())
                .isEqualTo(responses.stream().mapToLong(Figures::completion).sum());
        assertThat(totals.get("tokens").asLong()).isEqualTo(responses.stream()
                .mapToLong(f -> f.prompt() + f.completion()).sum());
        assertSums(totals, responses);
        assertThat(totals.get("estimated_share").asDouble()).isCloseTo(
                (double) responses.stream().filter(Figures::estimated).count() / responses.size(), within(EPS));
        // per site: the responses of each site add up to that site's row
        Map<String, List<Figures>> bySite = new HashMap<>();
        responses.forEach(f -> bySite.computeIfAbsent(f.site(), s -> new ArrayList<>()).add(f));
        assertThat(names(ledger.get("by_site"))).containsExactlyInAnyOrderElementsOf(bySite.keySet());
        bySite.forEach((site, list) -> {
            assertThat(ledger.get("by_site").get(site).get("requests").asLong()).isEqualTo(list.size());
            assertSums(ledger.get("by_site").get(site), list);
        });
        // request by request: the entries are the responses (node, tokens and the very same figures)
        List<Figures> entries = new ArrayList<>();
        for (JsonNode e : ledger.get("entries")) {
            entries.add(new Figures(e.get("node").asText(), e.get("site").asText(), e.get("prompt_tokens").asLong(),
                    e.get("completion_tokens").asLong(), e.get("energy_j").asDouble(), e.get("carbon_g").asDouble(),
                    e.get("cost_usd").asDouble(), e.get("water_l").asDouble(), e.get("heat_reused_kwh").asDouble(),
                    e.get("estimated").asBoolean()));
            assertThat(e.get("id").asText()).startsWith("lgr_");
            assertThat(e.get("tenant").asText()).isEqualTo("default");
            assertThat(e.get("status").asText()).isEqualTo("completed");
            assertThat(e.get("jurisdiction").asText()).isEqualTo(JURISDICTION.get(e.get("site").asText()));
            assertThat(e.get("policy").asText()).isIn("greenest", "cheapest", "fastest", "balanced");
            assertThat(e.get("model").asText()).isIn(Mesh.CHAT_MODEL, Mesh.EMBEDDING_MODEL);
            assertThat(e.get("endpoint").asText()).isIn("/v1/chat/completions", "/v1/completions", "/v1/embeddings");
            assertThat(Instant.parse(e.get("time").asText())).isEqualTo(from);
        }
        assertThat(sorted(entries)).isEqualTo(sorted(responses));
    }

    @Test
    void streamWithoutIncludeUsage_isLedgeredWithTheNodesTokens_andTheClientSeesNoUsageEvent() {
        Instant from = nextHour();

        HttpResponse<String> r = send("/v1/chat/completions", chat(true, false));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> data = data(r);
        assertThat(data.getLast()).isEqualTo("[DONE]");
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode chunk = parse(d);
            assertThat(chunk.path("usage").isObject()).as("no usage event: the client did not ask for one: " + d)
                    .isFalse();
            assertThat(chunk.get("choices")).as(d).isNotEmpty();
        }
        JsonNode totals = awaitLedger(from, from.plusSeconds(1), 1, "").get("totals");
        assertThat(totals.get("prompt_tokens").asLong()).isPositive();
        assertThat(totals.get("completion_tokens").asLong()).isBetween(1L, 8L);
        assertThat(totals.get("energy_j").asDouble()).isPositive();
    }

    @Test
    void fromAndTo_selectRequestsByWhenTheGatewayReceivedThem() {
        Instant first = nextHour();
        assertThat(send("/v1/embeddings", embedding("one")).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1)); // less than the heartbeat timeout: the nodes stay live
        Instant second = clock.instant();
        assertThat(send("/v1/embeddings", embedding("two")).statusCode()).isEqualTo(200);
        assertThat(send("/v1/embeddings", embedding("three")).statusCode()).isEqualTo(200);

        awaitLedger(first, second.plusSeconds(1), 3, "");

        assertThat(requests(first, second)).as("[first, second) holds the first only").isEqualTo(1);
        assertThat(requests(second, second.plusMillis(1))).as("from is inclusive").isEqualTo(2);
        assertThat(requests(first, first.plusNanos(1_000))).isEqualTo(1);
        assertThat(requests(first.minusSeconds(60), first)).as("to is exclusive").isZero();
        JsonNode onlyFrom = Http.json(mesh.http().get(LedgerApi.PATH + "?from=" + second + "&limit=10"));
        assertThat(onlyFrom.get("totals").get("requests").asLong()).isEqualTo(2);
        assertThat(onlyFrom.get("entries")).hasSize(2);
    }

    @Test
    void sameClientRequestIdTwice_givesTwoEntries() {
        Instant from = nextHour();

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = send("/v1/embeddings", embedding("again"), "x-request-id", "client-id-42");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-request-id")).hasValue("client-id-42");
        }

        JsonNode ledger = awaitLedger(from, from.plusSeconds(1), 2, "&limit=10");
        assertThat(ledger.get("totals").get("requests").asLong()).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        ledger.get("entries").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).doesNotHaveDuplicates().noneMatch(id -> id.equals("client-id-42"));
    }

    @Test
    void nodeAtAnUnknownSite_isLedgeredWithNoJurisdictionAndOnlyItsEnergy() {
        nextHour();
        try {
            // only the node at the site the gateway does not know is left live
            for (String node : KNOWN) {
                mesh.stopNode(node);
            }
            clock.advance(Duration.ofSeconds(10));
            Instant from = clock.instant();
            mesh.awaitLive(Set.of("mystery-1"));

            HttpResponse<String> r = send("/v1/embeddings", embedding("who are you?"));

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-lattice-node")).hasValue("mystery-1");
            JsonNode entry = awaitLedger(from, from.plusSeconds(1), 1, "&limit=1").get("entries").get(0);
            assertThat(entry.get("node").asText()).isEqualTo("mystery-1");
            assertThat(entry.get("site").asText()).isEqualTo("mystery");
            assertThat(entry.get("jurisdiction").isNull()).isTrue();
            assertThat(entry.get("energy_j").asDouble()).isEqualTo(
                    Http.json(r).get("usage").get("lattice").get("energy_j").asDouble());
            assertThat(entry.get("carbon_g").asDouble()).isZero();
            assertThat(entry.get("estimated").asBoolean()).isTrue();
        } finally {
            for (String node : KNOWN) {
                mesh.startNode(node, node.substring(0, node.length() - 2));
            }
            mesh.awaitLive(KNOWN);
        }
    }

    @Test
    void closingTheGateway_writesEveryQueuedEntry_soTheReopenedStoreHasThemAll() {
        int n = 20;
        try (Mesh small = Mesh.start(GatewayConfig.defaults().withClock(new MutableClock(START)), false, "park")) {
            for (int i = 0; i < n; i++) {
                HttpResponse<String> r = small.http().post("/v1/embeddings", embedding("text " + i));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }

            small.gateway().close(); // at once, without reading the ledger: the last entries may still be queued

            try (Store store = Store.open(small.storeUrl())) {
                List<LedgerEntry> entries = store.ledger().list(LedgerQuery.tenant("default").withLimit(100));
                assertThat(entries).hasSize(n);
                assertThat(entries).allSatisfy(e -> {
                    assertThat(e.node()).isEqualTo("park-1");
                    assertThat(e.site()).isEqualTo("park");
                    assertThat(e.jurisdiction()).as("park is not a site the gateway knows").isNull();
                    assertThat(e.endpoint()).isEqualTo("/v1/embeddings");
                    assertThat(e.model()).isEqualTo(Mesh.EMBEDDING_MODEL);
                    assertThat(e.status()).isEqualTo(LedgerStatus.COMPLETED);
                    assertThat(e.promptTokens()).isPositive();
                    assertThat(e.energyJ()).isPositive();
                    assertThat(e.time()).isEqualTo(START);
                });
            }
        }
    }

    @Test
    void failuresAfterPlacement_areLedgeredAsFailed_namingTheNode() {
        Instant from = nextHour();
        // a node the gateway believes in, where nothing listens: both tries fail, the client gets 502
        mesh.http().heartbeat(Telemetries.node("ghost-1", "brittany", Telemetries.deadUrl(),
                Telemetries.EMBEDDING_MODEL));
        HttpResponse<String> unreachable = send("/v1/embeddings",
                "{\"model\":\"" + Telemetries.EMBEDDING_MODEL.id() + "\",\"input\":\"hello\"}");
        assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(502);
        // a real node refusing the work: a prompt far longer than the tiny model's context
        HttpResponse<String> refused = send("/v1/completions", "{\"model\":\"" + Mesh.CHAT_MODEL
                + "\",\"prompt\":\"" + "word ".repeat(4 * 512) + "\",\"max_tokens\":4}");
        assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
        String refusedBy = refused.headers().firstValue("x-lattice-node").orElseThrow();

        JsonNode ledger = awaitLedger(from, from.plusSeconds(1), 2, "&limit=10");

        Map<String, JsonNode> byNode = new HashMap<>();
        ledger.get("entries").forEach(e -> byNode.put(e.get("node").asText(), e));
        assertThat(byNode).containsOnlyKeys("ghost-1", refusedBy);
        for (JsonNode e : byNode.values()) {
            assertThat(e.get("status").asText()).isEqualTo("failed");
            assertThat(e.get("prompt_tokens").asLong()).isZero();
            assertThat(e.get("energy_j").asDouble()).isZero();
            assertThat(e.get("estimated").asBoolean()).isTrue();
        }
        assertThat(byNode.get("ghost-1").get("site").asText()).isEqualTo("brittany");
        assertThat(byNode.get("ghost-1").get("jurisdiction").asText()).isEqualTo("FR-BRE");
        assertThat(byNode.get("ghost-1").get("model").asText()).isEqualTo(Telemetries.EMBEDDING_MODEL.id());
    }

    @Test
    void badParameters_are400NamingTheParameter() {
        assertBad("?from=yesterday", "from");
        assertBad("?to=2026-13-01T00:00:00Z", "to");
        assertBad("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to");
        assertBad("?limit=1001", "limit");
        assertBad("?limit=-1", "limit");
        assertBad("?limit=ten", "limit");
        assertBad("?by=node", "by");
        assertBad("?tenant=", "tenant");
        assertBad("?tennant=acme", "tennant");
        assertBad("?from=2026-01-01T00:00:00Z&from=2026-01-02T00:00:00Z", "from");
    }

    @Test
    void tenant_filtersToThatTenant() {
        Instant from = nextHour();
        assertThat(send("/v1/embeddings", embedding("mine")).statusCode()).isEqualTo(200);
        awaitLedger(from, from.plusSeconds(1), 1, "");

        String window = "&from=" + from + "&to=" + from.plusSeconds(1);
        assertThat(Http.json(mesh.http().get(LedgerApi.PATH + "?tenant=default" + window)).get("totals")
                .get("requests").asLong()).isEqualTo(1);
        JsonNode other = Http.json(mesh.http().get(LedgerApi.PATH + "?tenant=acme" + window));
        assertThat(other.get("tenant").asText()).isEqualTo("acme");
        assertThat(other.get("totals").get("requests").asLong()).isZero();
    }

    @Test
    void ledgerPath_withPost_is405() {
        HttpResponse<String> r = mesh.http().post(LedgerApi.PATH, "{}");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
    }

    // ---------------------------------------------------------------------------------------------

    /** What one response said it cost, from its {@code usage} (the usage event, for a stream). */
    private record Figures(String node, String site, long prompt, long completion, double energyJ, double carbonG,
                           double costUsd, double waterL, double heatKwh, boolean estimated) {
    }

    private static Figures figures(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode usage;
        if (r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
            List<String> data = data(r);
            assertThat(data.getLast()).isEqualTo("[DONE]");
            usage = parse(data.get(data.size() - 2)).get("usage");
        } else {
            usage = Http.json(r).get("usage");
        }
        JsonNode l = usage.get("lattice");
        assertThat(l).as("usage.lattice in " + r.body()).isNotNull();
        assertThat(l.get("node").asText()).isEqualTo(r.headers().firstValue("x-lattice-node").orElseThrow());
        return new Figures(l.get("node").asText(), l.get("site").asText(), usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0), l.get("energy_j").asDouble(),
                l.get("carbon_g").asDouble(0), l.get("cost_usd").asDouble(0), l.get("water_l").asDouble(0),
                l.get("heat_reused_kwh").asDouble(0), l.get("estimated").asBoolean());
    }

    private static void assertSums(JsonNode sums, List<Figures> responses) {
        assertThat(sums.get("energy_j").asDouble())
                .isCloseTo(responses.stream().mapToDouble(Figures::energyJ).sum(), within(EPS));
        assertThat(sums.get("carbon_g").asDouble())
                .isCloseTo(responses.stream().mapToDouble(Figures::carbonG).sum(), within(EPS));
        assertThat(sums.get("cost_usd").asDouble())
                .isCloseTo(responses.stream().mapToDouble(Figures::costUsd).sum(), within(EPS));
        assertThat(sums.get("water_l").asDouble())
                .isCloseTo(responses.stream().mapToDouble(Figures::waterL).sum(), within(EPS));
        assertThat(sums.get("heat_reused_kwh").asDouble())
                .isCloseTo(responses.stream().mapToDouble(Figures::heatKwh).sum(), within(EPS));
    }

    private static List<Figures> sorted(List<Figures> figures) {
        return figures.stream().sorted(Comparator.comparing(Figures::node).thenComparingDouble(Figures::energyJ)
                .thenComparingLong(Figures::prompt)).toList();
    }

    /**
     * Moves the gateway's clock to the next whole hour (this test's own window) and waits until the
     * nodes are live again at the new time.
     */
    private Instant nextHour() {
        Instant now = clock.instant();
        Instant next = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(1));
        clock.advance(Duration.between(now, next));
        mesh.awaitLive(ALL);
        return next;
    }

    /**
     * Polls the ledger until {@code [from, to)} holds {@code expected} requests: entries are written by a
     * background writer after each response has gone out.
     */
    private JsonNode awaitLedger(Instant from, Instant to, int expected, String extra) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode ledger;
        do {
            HttpResponse<String> r = mesh.http().get(LedgerApi.PATH + "?from=" + from + "&to=" + to + extra);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ledger = Http.json(r);
            if (ledger.get("totals").get("requests").asLong() >= expected) {
                return ledger;
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the ledger did not reach " + expected + " requests in [" + from + ", " + to + "): "
                + ledger);
    }

    private long requests(Instant from, Instant to) {
        return Http.json(mesh.http().get(LedgerApi.PATH + "?from=" + from + "&to=" + to)).get("totals")
                .get("requests").asLong();
    }

    private void assertBad(String query, String param) {
        HttpResponse<String> r = mesh.http().get(LedgerApi.PATH + query);
        JsonNode error = GatewayErrorsTest.assertError(r, 400, "invalid_request_error", "invalid_value");
        assertThat(error.get("param").asText()).as(query).isEqualTo(param);
    }

    private HttpResponse<String> send(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mesh.gateway().baseUrl().resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return mesh.http().send(request);
    }

    private static String chat(boolean stream, boolean includeUsage) {
        return "{\"model\":\"" + Mesh.CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Say hello to the greenhouse.\"}],\"max_tokens\":8"
                + (stream ? ",\"stream\":true" + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                : "") + "}";
    }

    private static String completion(boolean stream) {
        return "{\"model\":\"" + Mesh.CHAT_MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":6"
                + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    private static String embedding(String text) {
        return "{\"model\":\"" + Mesh.EMBEDDING_MODEL + "\",\"input\":\"" + text + "\"}";
    }

    private static List<String> data(HttpResponse<String> r) {
        return r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
