package io.lattice.sim;

import io.lattice.core.Candidate;
import io.lattice.core.GeoPoint;
import io.lattice.core.ModelCapability;
import io.lattice.core.NodeTelemetry;
import io.lattice.core.ServedModel;
import io.lattice.core.WorkRequest;
import io.lattice.core.energy.CostModel;
import io.lattice.core.energy.EnergyCandidate;
import io.lattice.core.energy.EnergyCost;
import io.lattice.core.energy.EnergyProfile;
import io.lattice.core.energy.QueueState;
import io.lattice.core.energy.Rtt;
import io.lattice.core.energy.RttModel;
import io.lattice.core.energy.SiteConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A discrete-event replay of arrivals against simulated sites, placed by a {@link Placer}.
 *
 * <p>Design note.
 * <ul>
 *   <li><b>Events.</b> Arrivals are processed in time order; completions are processed lazily, before
 *       each arrival, by dropping every finish time that has passed. Between arrivals nothing else can
 *       change what a placer sees, so this is exact for an arrival-driven placement.</li>
 *   <li><b>Nodes.</b> Every site has {@link Config#nodesPerSite} identical nodes with the
 *       {@link Config#profile} rates and J/token and {@link Config#parallelism} slots. A node serves FIFO:
 *       a request starts when the earliest slot frees (or on arrival), and occupies the slot for prefill
 *       + decode at the profile's rates. Slots do not slow each other down (no batching interference),
 *       an optimistic assumption applied alike to every placer.</li>
 *   <li><b>What the placer sees.</b> Per node, a {@link Candidate} whose telemetry holds the exact
 *       waiting and running counts now (a fresh heartbeat; the real gateway's is up to one beat old) and
 *       the gateway's in-flight count; a {@link QueueState} of that depth, the profile's service time for
 *       a typical request and the node's parallelism; the site's conditions in the hour of arrival; and
 *       the round trip from {@link Config#client} by {@link Config#rttModel}. The request carries its
 *       true token counts (the gateway would know the prompt and estimate the output; here the estimate
 *       is perfect) and the TTFT objective.</li>
 *   <li><b>What is recorded.</b> TTFT = round trip + actual wait for a slot + prefill; the one-way
 *       network delay is not added to the node's queue timing. Energy, carbon and money come from
 *       {@link CostModel#account} on the profile's energy, at the conditions of the arrival hour.</li>
 *   <li><b>Lower bound.</b> {@link #lowerBound}: each request at the site with the lowest carbon among
 *       those whose round trip + prefill meets the objective, ignoring queueing and capacity (at the
 *       lowest-carbon site of all when none does). No placement can emit less.</li>
 * </ul>
 *
 * <p>Instances hold only configuration and are immutable; each {@link #run} keeps its state on the stack.
 */
public final class PlacementSim {

    /** The model every simulated node serves and every request asks for. */
    public static final String MODEL = "sim-model";

    private static final List<ServedModel> SERVED =
            List.of(new ServedModel(MODEL, Set.of(ModelCapability.CHAT), "remote"));

    private final Config config;
    private final List<SimSite> sites;
    private final CostModel costModel = new CostModel();

    /**
     * @param config the node and latency settings
     * @param sites  the sites, in the order candidates are listed (round-robin follows it); at least one,
     *               distinct ids
     */
    public PlacementSim(Config config, List<SimSite> sites) {
        this.config = Objects.requireNonNull(config, "config");
        this.sites = List.copyOf(sites);
        if (this.sites.isEmpty()) {
            throw new IllegalArgumentException("PlacementSim needs at least one site");
        }
        if (this.sites.stream().map(SimSite::id).distinct().count() != this.sites.size()) {
            throw new IllegalArgumentException("PlacementSim: site ids must be distinct");
        }
    }

    /**
     * The simulation's settings.
     *
     * @param nodesPerSite nodes at every site, ≥ 1
     * @param profile      every node's rates and J/token
     * @param parallelism  requests a node serves at once, ≥ 1
     * @param client       where the gateway stands; round trips are measured from here
     * @param rttModel     distance to round trip
     * @param ttftMs       the TTFT objective of every request, in ms, &gt; 0
     */
    public record Config(int nodesPerSite, EnergyProfile profile, int parallelism, GeoPoint client,
                         RttModel rttModel, double ttftMs) {
        public Config {
            if (nodesPerSite < 1 || parallelism < 1) {
                throw new IllegalArgumentException("nodesPerSite and parallelism must be >= 1 but were "
                        + nodesPerSite + " and " + parallelism);
            }
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(rttModel, "rttModel");
            if (!(ttftMs > 0)) {
                throw new IllegalArgumentException("ttftMs must be > 0 but was " + ttftMs);
            }
        }
    }

    /** The request a simulated arrival becomes: streamed chat with its token counts and the TTFT objective. */
    public WorkRequest workFor(Arrival a) {
        return new WorkRequest(MODEL, ModelCapability.CHAT, true, a.promptTokens(), a.outputTokens(),
                WorkRequest.LatencyObjective.ttft(config.ttftMs()), Set.of());
    }

    /**
     * Replays {@code arrivals} (sorted by time) with {@code placer}.
     *
     * @throws IllegalArgumentException when arrivals are out of order or a site's signals do not cover one
     */
    public SimResult run(List<Arrival> arrivals, Placer placer) {
        Objects.requireNonNull(placer, "placer");
        List<NodeState> nodes = new ArrayList<>();
        for (SimSite s : sites) {
            Rtt rtt = config.rttModel().estimate(config.client(), s.site().location());
            for (int k = 0; k < config.nodesPerSite(); k++) {
                nodes.add(new NodeState(s, s.id() + "-n" + (k + 1), rtt, config.parallelism()));
            }
        }
        EnergyProfile profile = config.profile();
        double servedMs = 0;
        double meanServiceMs = profile.serviceMs(WorkRequest.TYPICAL_PROMPT_TOKENS,
                WorkRequest.TYPICAL_OUTPUT_TOKENS);
        Map<String, Long> bySite = new LinkedHashMap<>();
        sites.forEach(s -> bySite.put(s.id(), 0L));
        double[] ttfts = new double[arrivals.size()];
        long tokens = 0;
        long within = 0;
        double carbon = 0;
        double cost = 0;
        double kwh = 0;
        double maxWait = 0;
        Instant previous = Instant.MIN;
        List<EnergyCandidate> candidates = new ArrayList<>(nodes.size());
        Map<String, SiteConditions> conditions = new LinkedHashMap<>();
        for (int i = 0; i < arrivals.size(); i++) {
            Arrival a = arrivals.get(i);
            if (a.at().isBefore(previous)) {
                throw new IllegalArgumentException("arrival " + i + " at " + a.at() + " is before its predecessor");
            }
            previous = a.at();
            double now = millis(a.at());
            conditions.clear();
            for (SimSite s : sites) {
                conditions.put(s.id(), s.conditionsAt(a.at()));
            }
            candidates.clear();
            for (NodeState n : nodes) {
                n.advanceTo(now);
                int waiting = n.waiting();
                int running = n.running();
                NodeTelemetry t = new NodeTelemetry(n.id, n.site.id(), "sim://" + n.id, SERVED, waiting, running,
                        0, 0, true, a.at());
                Candidate c = new Candidate(t, waiting + running, n.placed);
                candidates.add(new EnergyCandidate(c, n.site.site(), conditions.get(n.site.id()), profile,
                        new QueueState(waiting + running, meanServiceMs, config.parallelism()), n.rtt));
            }
            WorkRequest work = workFor(a);
            NodeState n = nodes.get(placer.choose(work, List.copyOf(candidates)));
            double serviceMs = profile.serviceMs(a.promptTokens(), a.outputTokens());
            // the mean service time a gateway would learn from requests seen so far
            servedMs += serviceMs;
            meanServiceMs = servedMs / (i + 1);
            double waitMs = n.admit(now, serviceMs);
            double ttft = n.rtt.ms() + waitMs + profile.prefillMs(a.promptTokens());
            ttfts[i] = ttft;
            if (ttft <= config.ttftMs()) {
                within++;
            }
            maxWait = Math.max(maxWait, waitMs);
            EnergyCost e = costModel.account(profile.energyJ(a.promptTokens(), a.outputTokens()), serviceMs,
                    n.site.site(), conditions.get(n.site.id()), profile.measured());
            carbon += e.carbonG();
            cost += e.costUsd();
            kwh += e.facilityEnergyKwh();
            tokens += a.tokens();
            bySite.merge(n.site.id(), 1L, Long::sum);
        }
        return new SimResult(placer.name(), arrivals.size(), tokens, carbon, cost, kwh, ttfts, within, maxWait,
                bySite);
    }

    /**
     * The carbon floor for {@code arrivals}: see the class note.
     *
     * @return total gCO2e and tokens, as a {@link SimResult} named {@code lower-bound} whose TTFTs are those
     *         the bound's placements would see without queueing
     */
    public SimResult lowerBound(List<Arrival> arrivals) {
        EnergyProfile profile = config.profile();
        double[] ttfts = new double[arrivals.size()];
        long tokens = 0;
        long within = 0;
        double carbon = 0;
        double cost = 0;
        double kwh = 0;
        Map<String, Long> bySite = new LinkedHashMap<>();
        for (int i = 0; i < arrivals.size(); i++) {
            Arrival a = arrivals.get(i);
            double serviceMs = profile.serviceMs(a.promptTokens(), a.outputTokens());
            double energyJ = profile.energyJ(a.promptTokens(), a.outputTokens());
            EnergyCost best = null;
            EnergyCost bestAny = null;
            double bestTtft = 0;
            double bestAnyTtft = 0;
            String bestSite = null;
            String bestAnySite = null;
            for (SimSite s : sites) {
                EnergyCost e = costModel.account(energyJ, serviceMs, s.site(), s.conditionsAt(a.at()),
                        profile.measured());
                double ttft = config.rttModel().estimateMs(config.client(), s.site().location())
                        + profile.prefillMs(a.promptTokens());
                if (bestAny == null || e.carbonG() < bestAny.carbonG()) {
                    bestAny = e;
                    bestAnyTtft = ttft;
                    bestAnySite = s.id();
                }
                if (ttft <= config.ttftMs() && (best == null || e.carbonG() < best.carbonG())) {
                    best = e;
                    bestTtft = ttft;
                    bestSite = s.id();
                }
            }
            if (best == null) {
                best = bestAny;
                bestTtft = bestAnyTtft;
                bestSite = bestAnySite;
            }
            carbon += best.carbonG();
            cost += best.costUsd();
            kwh += best.facilityEnergyKwh();
            tokens += a.tokens();
            ttfts[i] = bestTtft;
            if (bestTtft <= config.ttftMs()) {
                within++;
            }
            bySite.merge(bestSite, 1L, Long::sum);
        }
        return new SimResult("lower-bound", arrivals.size(), tokens, carbon, cost, kwh, ttfts, within, 0, bySite);
    }

    private static double millis(Instant t) {
        return t.getEpochSecond() * 1000.0 + t.getNano() / 1e6;
    }

    /** One node's slots and its requests not yet finished; times in ms since the epoch. */
    private static final class NodeState {
        final SimSite site;
        final String id;
        final Rtt rtt;
        final PriorityQueue<Double> slotFreeAt = new PriorityQueue<>();
        final PriorityQueue<Double> startsAhead = new PriorityQueue<>();
        final PriorityQueue<Double> finishesAhead = new PriorityQueue<>();
        long placed;

        NodeState(SimSite site, String id, Rtt rtt, int parallelism) {
            this.site = site;
            this.id = id;
            this.rtt = rtt;
            for (int i = 0; i < parallelism; i++) {
                slotFreeAt.add(Double.NEGATIVE_INFINITY);
            }
        }

        /** Processes the starts and completions up to {@code now}. */
        void advanceTo(double now) {
            while (!startsAhead.isEmpty() && startsAhead.peek() <= now) {
                startsAhead.poll();
            }
            while (!finishesAhead.isEmpty() && finishesAhead.peek() <= now) {
                finishesAhead.poll();
            }
        }

        int waiting() {
            return startsAhead.size();
        }

        int running() {
            return finishesAhead.size() - startsAhead.size();
        }

        /** Queues a request arriving {@code now}; returns how long it waits for a slot, in ms. */
        double admit(double now, double serviceMs) {
            double start = Math.max(now, slotFreeAt.poll());
            double finish = start + serviceMs;
            slotFreeAt.add(finish);
            if (start > now) {
                startsAhead.add(start);
            }
            finishesAhead.add(finish);
            placed++;
            return start - now;
        }
    }
}
