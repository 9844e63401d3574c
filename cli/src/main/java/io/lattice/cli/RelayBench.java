package io.lattice.cli;

import io.lattice.api.Json;
import io.lattice.engine.ModelSpec;
import io.lattice.engine.gguf.TinyModels;
import io.lattice.gateway.Gateway;
import io.lattice.gateway.GatewayConfig;
import io.lattice.node.NodeAgent;
import io.lattice.node.NodeConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lattice bench relay}: what the gateway adds to a small non-streamed request.
 *
 * <p>Method: one node and one gateway on loopback in this JVM. The same request is sent (a) straight
 * to the node and (b) through the gateway to that node, by {@code concurrency} closed-loop clients.
 * Rounds alternate a, b, a, b... so that drift in machine load hits both alike; latencies of all
 * rounds are pooled per target and throughput is total requests over total time per target. A
 * warm-up round per target runs first and is not counted.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Requests/s and p50/p99 latency of a small request sent straight to a node vs through the gateway.")
final class RelayBench implements Callable<Integer> {

    enum Kind { embeddings, chat }

    @Mixin
    VerboseOption verbose;

    @Option(names = "--requests", defaultValue = "1000", description = "Requests per round and target (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--rounds", defaultValue = "4", description = "Measured rounds per target (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--concurrency", defaultValue = "4", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--kind", defaultValue = "embeddings",
            description = "Request kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kind kind;

    /** Latencies (ms) and wall time (s) of one target over all rounds. */
    record Sample(List<Double> latenciesMs, double seconds, int failures) {
        double perSecond() {
            return latenciesMs.size() / seconds;
        }

        double percentile(double p) {
            double[] sorted = latenciesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.clamp(i, 0, sorted.length - 1)];
        }
    }

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || rounds < 1 || concurrency < 1) {
            throw new UserError("--requests, --rounds and --concurrency must be at least 1");
        }
        PrintStream out = System.out;
        Path tmp = Files.createTempDirectory("lattice-bench");
        String modelId = kind == Kind.chat ? "tiny-random-llama" : ModelSpec.BundledMiniLm.DEFAULT_ID;
        NodeConfig.Builder node = NodeConfig.builder("bench-1", "bench-site").port(0);
        if (kind == Kind.chat) {
            Path gguf = tmp.resolve("tiny.gguf");
            TinyModels.writeRandomLlama(gguf, 42);
            node.addModel(new ModelSpec.Gguf(modelId, gguf, 256, 1)).slots(modelId, concurrency);
        } else {
            node.addModel(new ModelSpec.BundledMiniLm(modelId)).slots(modelId, concurrency);
        }
        try (AutoCloseable quiet = Logging.quietStartup();
             Gateway gateway = Gateway.start(GatewayConfig.defaults().withPort(0)
                     .withStoreUrl("sqlite:" + tmp.resolve("bench-ledger.db")));
             NodeAgent agent = NodeAgent.start(node.gateways(List.of(gateway.baseUrl())).build())) {
            MeshReady.await(gateway.baseUrl(), 1, Duration.ofSeconds(15));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] body = body(modelId);
            URI direct = agent.baseUrl().resolve(path());
            URI relayed = gateway.baseUrl().resolve(path());

            out.printf(Locale.ROOT, "relay bench: %s requests, %d rounds x %d requests per target, %d clients%n",
                    kind, rounds, requests, concurrency);
            run(http, direct, body, Math.min(requests, 300));
            run(http, relayed, body, Math.min(requests, 300));
            List<Sample> a = new ArrayList<>();
            List<Sample> b = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                a.add(run(http, direct, body, requests));
                b.add(run(http, relayed, body, requests));
                out.printf(Locale.ROOT, "  round %d: direct %.0f req/s, via gateway %.0f req/s%n", r + 1,
                        a.getLast().perSecond(), b.getLast().perSecond());
            }
            Sample sa = pool(a);
            Sample sb = pool(b);
            out.println();
            out.printf(Locale.ROOT, "%-22s %10s %10s %10s %10s %9s%n", "target", "req/s", "p50 ms", "p99 ms",
                    "p99.9 ms", "failures");
            row(out, "(a) straight to node", sa);
            row(out, "(b) through gateway", sb);
            out.println();
            out.printf(Locale.ROOT, "throughput ratio b/a: %.2f   added latency: p50 %+.2f ms, p99 %+.2f ms%n",
                    sb.perSecond() / sa.perSecond(), sb.percentile(50) - sa.percentile(50),
                    sb.percentile(99) - sa.percentile(99));
            return sa.failures() + sb.failures() == 0 ? 0 : 1;
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String path() {
        return kind == Kind.chat ? "/v1/chat/completions" : "/v1/embeddings";
    }

    private byte[] body(String modelId) {
        var b = Json.object();
        b.put("model", modelId);
        if (kind == Kind.chat) {
            b.putArray("messages").addObject().put("role", "user").put("content", "hi");
            b.put("max_tokens", 1);
        } else {
            b.put("input", "hi");
        }
        return Json.bytes(b);
    }

    private Sample run(HttpClient http, URI target, byte[] body, int count) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Future<double[]>> clients = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    double[] mine = new double[count];
                    int n = 0;
                    while (next.getAndIncrement() < count) {
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (r.statusCode() == 200) {
                            mine[n++] = ms;
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                    return Arrays.copyOf(mine, n);
                }));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> all = new ArrayList<>(count);
        for (Future<double[]> f : clients) {
            try {
                for (double d : f.get()) {
                    all.add(d);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                failures.incrementAndGet();
            }
        }
        return new Sample(all, seconds, failures.get());
    }

    private static Sample pool(List<Sample> samples) {
        List<Double> all = new ArrayList<>();
        double seconds = 0;
        int failures = 0;
        for (Sample s : samples) {
            all.addAll(s.latenciesMs());
            seconds += s.seconds();
            failures += s.failures();
        }
        return new Sample(all, seconds, failures);
    }

    private static void row(PrintStream out, String name, Sample s) {
        out.printf(Locale.ROOT, "%-22s %10.0f %10.2f %10.2f %10.2f %9d%n", name, s.perSecond(), s.percentile(50),
                s.percentile(99), s.percentile(99.9), s.failures());
    }
}
