package io.lattice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lattice.api.Json;
import io.lattice.api.LatticeHeaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a mix of sample requests through the gateway the way a client would (plain HTTP, the
 * OpenAI API) and sums up where they ran.
 */
final class DemoTraffic {

    /** What one request did. {@code site} and {@code node} are null when it failed. */
    record Outcome(String kind, String site, String node, int status, int tokens, double latencyMs, String error,
                   Figures figures) {
        Outcome(String kind, String site, String node, int status, int tokens, double latencyMs, String error) {
            this(kind, site, node, status, tokens, latencyMs, error, Figures.NONE);
        }
    }

    /**
     * What a response said it cost ({@code usage.lattice}); zeros when it did not say.
     *
     * @param energyJ J; carbonG gCO2e; costUsd USD
     */
    record Figures(double energyJ, double carbonG, double costUsd, boolean estimated, boolean present) {
        static final Figures NONE = new Figures(0, 0, 0, false, false);

        static Figures of(JsonNode usage) {
            JsonNode l = usage.path("lattice");
            if (!l.isObject()) {
                return NONE;
            }
            return new Figures(l.path("energy_j").asDouble(), l.path("carbon_g").asDouble(),
                    l.path("cost_usd").asDouble(), l.path("estimated").asBoolean(true), true);
        }
    }

    /** Per-site sums, in the order of the table; energy in J, carbon in gCO2e, cost in USD. */
    record SiteRow(String site, String node, int requests, long tokens, double meanLatencyMs, double energyJ,
                   double carbonG, double costUsd) {
    }

    private static final String[] PROMPTS = {
        "Say hello to the greenhouse.", "What is a kilowatt-hour?", "Name a colour.", "Count to three.",
        "Why is the wind free?", "Describe the sun at noon."
    };

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI gateway;
    private final String chatModel;
    private final String embeddingModel;

    DemoTraffic(URI gateway, String chatModel, String embeddingModel) {
        this.gateway = gateway;
        this.chatModel = chatModel;
        this.embeddingModel = embeddingModel;
    }

    /** Sends {@code count} requests, {@code concurrency} at a time, printing a dot per request. */
    List<Outcome> send(int count, int concurrency, PrintStream progress) throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        List<Future<Outcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory())) {
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    Outcome o = one(n);
                    int d = done.incrementAndGet();
                    progress.print(o.error() == null ? "." : "x");
                    if (d % 50 == 0 || d == count) {
                        progress.println(" " + d + "/" + count);
                    }
                    progress.flush();
                    return o;
                }));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            try {
                outcomes.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                outcomes.add(new Outcome("?", null, null, 0, 0, 0, String.valueOf(e.getCause())));
            }
        }
        return outcomes;
    }

    static List<SiteRow> bySite(List<Outcome> outcomes) {
        Map<String, List<Outcome>> groups = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.error() == null) {
                groups.computeIfAbsent(o.site(), k -> new ArrayList<>()).add(o);
            }
        }
        List<SiteRow> rows = new ArrayList<>();
        groups.forEach((site, list) -> rows.add(new SiteRow(site, list.getFirst().node(), list.size(),
                list.stream().mapToLong(Outcome::tokens).sum(),
                list.stream().mapToDouble(Outcome::latencyMs).average().orElse(0),
                list.stream().mapToDouble(o -> o.figures().energyJ()).sum(),
                list.stream().mapToDouble(o -> o.figures().carbonG()).sum(),
                list.stream().mapToDouble(o -> o.figures().costUsd()).sum())));
        return rows;
    }

    static void printTable(List<SiteRow> rows, List<Outcome> outcomes, PrintStream out) {
        out.printf(Locale.ROOT, "%-22s %-13s %9s %8s %14s %11s %11s %11s%n", "site", "node", "requests", "tokens",
                "mean latency", "energy J", "gCO2e", "USD");
        for (SiteRow r : rows) {
            out.printf(Locale.ROOT, "%-22s %-13s %9d %8d %11.1f ms %11.3f %11.6f %11.8f%n", r.site(), r.node(),
                    r.requests(), r.tokens(), r.meanLatencyMs(), r.energyJ(), r.carbonG(), r.costUsd());
        }
        long failed = outcomes.stream().filter(o -> o.error() != null).count();
        out.printf(Locale.ROOT, "%-22s %-13s %9d %8d %11.1f ms %11.3f %11.6f %11.8f%n", "all", "",
                outcomes.size() - failed, rows.stream().mapToLong(SiteRow::tokens).sum(),
                outcomes.stream().filter(o -> o.error() == null).mapToDouble(Outcome::latencyMs).average().orElse(0),
                rows.stream().mapToDouble(SiteRow::energyJ).sum(), rows.stream().mapToDouble(SiteRow::carbonG).sum(),
                rows.stream().mapToDouble(SiteRow::costUsd).sum());
        List<Outcome> ok = outcomes.stream().filter(o -> o.error() == null).toList();
        long reported = ok.stream().filter(o -> o.figures().present()).count();
        boolean anyEstimated = ok.stream().anyMatch(o -> o.figures().present() && o.figures().estimated());
        out.println("Energy, carbon and cost: sums of usage.lattice over the " + reported + " of " + ok.size()
                + " answers that report it (streams without include_usage do not)" + (anyEstimated
                ? "; figures are estimated (power modelled, not metered)." : "; figures are measured."));
        if (failed > 0) {
            out.println(failed + " request(s) failed; first errors:");
            outcomes.stream().filter(o -> o.error() != null).limit(3)
                    .forEach(o -> out.println("  " + o.kind() + ": " + o.error()));
        }
    }

    private Outcome one(int n) {
        String prompt = PROMPTS[n % PROMPTS.length];
        return switch (n % 4) {
            case 0 -> post("chat", "/v1/chat/completions", chat(prompt, false), false);
            case 1 -> post("chat-stream", "/v1/chat/completions", chat(prompt, true), true);
            case 2 -> post("completion", "/v1/completions", completion(prompt), false);
            default -> post("embeddings", "/v1/embeddings", embeddings(prompt), false);
        };
    }

    private ObjectNode chat(String prompt, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", chatModel);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("max_tokens", 16);
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private ObjectNode completion(String prompt) {
        ObjectNode body = Json.object();
        body.put("model", chatModel);
        body.put("prompt", prompt);
        body.put("max_tokens", 16);
        return body;
    }

    private ObjectNode embeddings(String prompt) {
        ObjectNode body = Json.object();
        body.put("model", embeddingModel);
        body.putArray("input").add(prompt).add("and " + prompt.toLowerCase(Locale.ROOT));
        return body;
    }

    private Outcome post(String kind, String path, ObjectNode body, boolean stream) {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofMinutes(2))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int tokens;
            String error = null;
            Figures figures = Figures.NONE;
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    error = response.statusCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    tokens = 0;
                } else if (stream) {
                    JsonNode usage = streamedUsage(in);
                    tokens = usage.path("total_tokens").asInt();
                    figures = Figures.of(usage);
                } else {
                    JsonNode usage = Json.mapper().readTree(in).path("usage");
                    tokens = usage.path("total_tokens").asInt();
                    figures = Figures.of(usage);
                }
            }
            double ms = (System.nanoTime() - start) / 1e6;
            return new Outcome(kind, response.headers().firstValue(LatticeHeaders.SITE).orElse("?"),
                    response.headers().firstValue(LatticeHeaders.NODE).orElse("?"), response.statusCode(), tokens, ms,
                    error, figures);
        } catch (IOException e) {
            return new Outcome(kind, null, null, 0, 0, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(kind, null, null, 0, 0, 0, "interrupted");
        }
    }

    /** The usage object of the stream's usage chunk, or a missing node when there is none. */
    private static JsonNode streamedUsage(InputStream in) throws IOException {
        JsonNode found = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                JsonNode usage = Json.mapper().readTree(line.substring(6)).path("usage");
                if (usage.isObject()) {
                    found = usage;
                }
            }
        }
        return found;
    }
}
