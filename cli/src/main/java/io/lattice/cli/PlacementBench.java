package io.lattice.cli;

import io.lattice.core.GeoPoint;
import io.lattice.core.energy.EnergyPolicies;
import io.lattice.core.energy.EnergyProfile;
import io.lattice.core.energy.HeatSink;
import io.lattice.core.energy.Jurisdiction;
import io.lattice.core.energy.RttModel;
import io.lattice.core.energy.Site;
import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.TimeSeries;
import io.lattice.sim.Arrival;
import io.lattice.sim.AzureTrace;
import io.lattice.sim.PlacementSim;
import io.lattice.sim.Placer;
import io.lattice.sim.SimResult;
import io.lattice.sim.SimSite;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lattice bench placement}: a discrete-event replay of the Azure conversation trace against five
 * simulated sites, through the same core policies the gateway runs.
 *
 * <p>Method (assumptions in {@link PlacementSim} and {@link AzureTrace}): the trace's hour is repeated
 * every hour for {@code --hours} from {@code --start}; five sites, one per carbon zone in the data folder
 * (DE-LU Frankfurt, GB London, US-CAL-CISO San Francisco, US-TEX-ERCO Dallas, SG Singapore), PUE
 * {@code --pue}, signals from the zone's hourly carbon (life-cycle unless {@code --basis}) and price files.
 * GB has no price file: it gets the constant {@code --gb-price} (default 110 USD/MWh, about the GB
 * day-ahead average of mid-2023), an assumption. The gateway stands in Frankfurt; round trips come from
 * {@link RttModel#DEFAULT}. Every placer sees the same arrivals and the same signals. Deterministic.
 */
@Command(name = "placement", mixinStandardHelpOptions = true,
        description = "Replay the Azure LLM trace over a day across 5 grid zones: carbon, cost and TTFT per policy.")
final class PlacementBench implements Callable<Integer> {

    @Mixin
    VerboseOption verbose;

    @Option(names = "--trace", defaultValue = "../shared/data/traces/azure-llm-conv-2023.csv", paramLabel = "FILE",
            description = "Trace CSV: TIMESTAMP,ContextTokens,GeneratedTokens (default: ${DEFAULT-VALUE}).")
    Path trace;

    @Option(names = "--data", defaultValue = "../shared/data/grid", paramLabel = "DIR",
            description = "Folder with carbon-ZONE-2023.csv and price-ZONE-2023.csv (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--start", defaultValue = "2023-06-01T00:00Z", paramLabel = "INSTANT",
            description = "Simulated start, ISO-8601 UTC (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--hours", defaultValue = "24", description = "Hours of replay (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
            description = "Keep a seeded uniform sample of N arrivals (thins the load); 0 keeps all (default).")
    int sample;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--nodes", defaultValue = "2", description = "Nodes per site (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--parallelism", defaultValue = "4",
            description = "Requests a node serves at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--prefill-tps", defaultValue = "2000",
            description = "Prefill rate, prompt tokens/s (default: ${DEFAULT-VALUE}).")
    double prefillTps;

    @Option(names = "--decode-tps", defaultValue = "40",
            description = "Decode rate per request, output tokens/s (default: ${DEFAULT-VALUE}).")
    double decodeTps;

    @Option(names = "--j-per-prompt-token", defaultValue = "0.1",
            description = "IT energy per prompt token, J (default: ${DEFAULT-VALUE}).")
    double joulesPerPromptToken;

    @Option(names = "--j-per-output-token", defaultValue = "0.5",
            description = "IT energy per output token, J (default: ${DEFAULT-VALUE}).")
    double joulesPerOutputToken;

    @Option(names = "--pue", defaultValue = "1.2", description = "PUE of every site (default: ${DEFAULT-VALUE}).")
    double pue;

    @Option(names = "--ttft-ms", defaultValue = "2000",
            description = "TTFT objective of every request, ms (default: ${DEFAULT-VALUE}).")
    double ttftMs;

    @Option(names = "--gb-price", defaultValue = "110",
            description = "Constant GB price, USD/MWh: there is no GB price file (default: ${DEFAULT-VALUE}).")
    double gbPrice;

    @Option(names = "--basis", defaultValue = "LIFECYCLE",
            description = "Carbon column: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CarbonBasis basis;

    /** One zone: where its site stands and in which jurisdiction. */
    private record Zone(String id, String jurisdiction, GeoPoint location) {
    }

    private static final List<Zone> ZONES = List.of(
            new Zone("DE-LU", "DE", new GeoPoint(50.11, 8.68)),
            new Zone("GB", "GB", new GeoPoint(51.51, -0.13)),
            new Zone("US-CAL-CISO", "US-CA", new GeoPoint(37.77, -122.42)),
            new Zone("US-TEX-ERCO", "US-TX", new GeoPoint(32.78, -96.80)),
            new Zone("SG", "SG", new GeoPoint(1.35, 103.82)));

    private static final GeoPoint GATEWAY = new GeoPoint(50.11, 8.68);

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream progress = System.err;
        Instant from;
        try {
            from = OffsetDateTime.parse(start).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserError("--start must be an ISO-8601 UTC instant like 2023-06-01T00:00Z but was '" + start + "'");
        }
        if (hours < 1 || nodes < 1 || parallelism < 1 || !(ttftMs > 0) || !(pue >= 1)) {
            throw new UserError("--hours, --nodes and --parallelism must be >= 1, --ttft-ms > 0 and --pue >= 1");
        }
        EnergyProfile profile;
        PlacementSim sim;
        List<SimSite> sites = new ArrayList<>();
        try {
            profile = new EnergyProfile(joulesPerPromptToken, joulesPerOutputToken, prefillTps, decodeTps, false);
            for (Zone z : ZONES) {
                sites.add(site(z, from));
            }
            sim = new PlacementSim(new PlacementSim.Config(nodes, profile, parallelism, GATEWAY, RttModel.DEFAULT,
                    ttftMs), sites);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }

        List<Arrival> arrivals;
        try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            List<AzureTrace.Request> requests = AzureTrace.parse(r, trace.getFileName().toString());
            arrivals = AzureTrace.replay(requests, from, Duration.ofHours(1), hours, sample, seed);
            progress.printf(Locale.ROOT, "trace: %d requests over %s, replayed every hour for %d h -> %d arrivals%n",
                    requests.size(), requests.getLast().offset(), hours, arrivals.size());
        } catch (IOException e) {
            throw new UserError("cannot read trace " + trace.toAbsolutePath().normalize() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }

        List<Supplier<Placer>> placers = new ArrayList<>();
        for (String name : EnergyPolicies.NAMES) {
            placers.add(() -> Placer.of(EnergyPolicies.named(name)));
        }
        placers.add(Placer::roundRobin);
        placers.add(Placer::leastLoaded);

        List<SimResult> results = new ArrayList<>();
        for (int i = 0; i < placers.size(); i++) {
            Placer p = placers.get(i).get();
            long t0 = System.nanoTime();
            try {
                results.add(sim.run(arrivals, p));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            progress.printf(Locale.ROOT, "[%d/%d] %s done in %.1f s%n", i + 1, placers.size(), p.name(),
                    (System.nanoTime() - t0) / 1e9);
        }
        SimResult bound = sim.lowerBound(arrivals);
        SimResult rr = results.stream().filter(r -> r.policy().equals("round-robin")).findFirst().orElseThrow();

        out.printf(Locale.ROOT, "placement replay: %d requests, %s + %d h, %d sites x %d nodes x %d slots, gateway in "
                        + "Frankfurt, TTFT objective %.0f ms, carbon %s basis%n", arrivals.size(), from, hours,
                sites.size(), nodes, parallelism, ttftMs, basis.name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "node: prefill %.0f tok/s, decode %.0f tok/s, %.2f J/prompt tok, %.2f J/output tok, "
                + "PUE %.2f; GB price constant %.0f USD/MWh%n", prefillTps, decodeTps, joulesPerPromptToken,
                joulesPerOutputToken, pue, gbPrice);
        String fmt = "%-12s %12s %12s %10s %10s %10s %9s %10s %9s  %s%n";
        out.printf(Locale.ROOT, fmt, "policy", "gCO2e/1kTok", "USD/1MTok", "kWh", "p50 TTFT", "p99 TTFT",
                "within %", "cut vs RR", "share", "requests by site");
        for (SimResult r : results) {
            row(out, fmt, r, rr, bound);
        }
        row(out, fmt, bound, rr, bound);
        out.println("share = (round-robin - policy) / (round-robin - lower bound) in carbon; lower bound: each request"
                + " at its greenest site meeting the objective on RTT + prefill alone, no queueing");
        return 0;
    }

    private static void row(PrintStream out, String fmt, SimResult r, SimResult rr, SimResult bound) {
        double cut = 1 - r.carbonGPer1kTokens() / rr.carbonGPer1kTokens();
        double possible = rr.carbonG() - bound.carbonG();
        String share = possible > 0 ? pct((rr.carbonG() - r.carbonG()) / possible) : "-";
        out.printf(Locale.ROOT, fmt, r.policy(), num(r.carbonGPer1kTokens(), 4), num(r.usdPer1MTokens(), 4),
                num(r.facilityKwh(), 2), num(r.ttftQuantileMs(0.5), 0), num(r.ttftQuantileMs(0.99), 0),
                pct(r.shareWithinObjective()), pct(cut), share, bySite(r));
    }

    private static String bySite(SimResult r) {
        List<String> parts = new ArrayList<>();
        for (Zone z : ZONES) {
            long n = r.requestsBySite().getOrDefault(z.id(), 0L);
            parts.add(z.id() + "=" + n);
        }
        return String.join(" ", parts);
    }

    private static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private SimSite site(Zone z, Instant from) {
        TimeSeries carbon = read(data.resolve("carbon-" + z.id() + "-2023.csv"), true);
        Path priceFile = data.resolve("price-" + z.id() + "-2023.csv");
        TimeSeries price;
        if (Files.isRegularFile(priceFile)) {
            price = read(priceFile, false);
        } else {
            double[] flat = new double[carbon.size()];
            Arrays.fill(flat, gbPriceFor(z));
            price = TimeSeries.hourly(carbon.start(), flat, "USD/MWh");
        }
        Instant end = from.plus(Duration.ofHours(hours)).minusNanos(1);
        for (TimeSeries s : List.of(carbon, price)) {
            if (!s.covers(from) || !s.covers(end)) {
                throw new UserError(z.id() + ": signals cover [" + s.start() + ", " + s.end() + ") but the replay needs ["
                        + from + ", " + end.plusNanos(1) + "); choose another --start or --hours");
            }
        }
        Site site = new Site(z.id(), z.id(), pue, 0, Double.POSITIVE_INFINITY, Jurisdiction.parse(z.jurisdiction()),
                z.location(), HeatSink.NONE);
        return new SimSite(site, carbon, price);
    }

    private double gbPriceFor(Zone z) {
        if (!z.id().equals("GB")) {
            throw new UserError("no price file for zone " + z.id() + " in " + data.toAbsolutePath().normalize());
        }
        return gbPrice;
    }

    private TimeSeries read(Path file, boolean carbon) {
        return GridFiles.read(file, carbon, basis);
    }
}
