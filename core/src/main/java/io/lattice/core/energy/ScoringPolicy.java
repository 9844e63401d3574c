package io.lattice.core.energy;

import io.lattice.core.WorkRequest;
import io.lattice.core.energy.EnergyDecision.Exclusion;
import io.lattice.core.energy.EnergyDecision.Reason;
import io.lattice.core.energy.EnergyDecision.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The one algorithm behind {@code fastest}, {@code cheapest}, {@code greenest} and {@code balanced}:
 * they differ only in their {@link PolicyWeights}.
 *
 * <p>Design note.
 * <ol>
 *   <li><b>Cost</b> every candidate with the {@link CostModel} (energy, money, carbon, water, latency
 *       estimate, power headroom).</li>
 *   <li><b>Exclude</b> by hard rules — the node does not serve the model on this endpoint, the site is
 *       outside the allowed jurisdictions, the request would take the site above its power limit — and
 *       by the latency objective: estimated TTFT (RTT + queue wait + prefill) above the objective, or a
 *       decode slower than its time per output token (checked only when output is expected).</li>
 *   <li><b>Fall back</b>: when some candidate passes the hard rules but none meets the objective, choose
 *       the one {@code fastest} would choose among them and flag the decision {@code objectiveMissed}: a
 *       late answer, said to be late, beats a refusal. The hard rules never fall back: a power limit is a
 *       grid contract and a jurisdiction a legal one.</li>
 *   <li><b>Score</b> the eligible: {@code Σ w_k × (x_k − min_k) / (max_k − min_k)} over latency (TTFT when
 *       streamed, total time otherwise), money, carbon, water and load (queue wait), each normalised
 *       across the eligible candidates so weights compare criteria with different units; a criterion on
 *       which all are equal counts 0. Lowest wins; ties go to lower latency, then to the node this
 *       gateway has used least (sequential work rotates), then to the node id — never to list order.</li>
 * </ol>
 *
 * <p>Load. Two deterministic mechanisms keep the greenest (or cheapest) node from being overloaded.
 * First, the queue wait is part of the TTFT estimate, so a node stops being eligible once the work ahead
 * of a request would break its objective: the objective is a green node's capacity limit. Second, an
 * explicit load penalty ({@link PolicyWeights#load()}, queue wait normalised like every criterion)
 * spreads work among nodes that are nearly as good, such as several nodes at one site, which tie on
 * money and carbon. We prefer this penalty to "power of two random choices" (Mitzenmacher, IEEE TPDS
 * 2001) as the default: a single gateway's own in-flight counts are fresh, so the herding on stale load
 * figures that random choices guard against (Mitzenmacher, "How useful is old information?", IEEE TPDS
 * 2000) does not arise, while sampling two of all candidates would pass over the greenest node in most
 * draws. Where load figures are stale (several gateways), {@code nearTies(band, random)} adds two random
 * choices among the candidates scoring within {@code band} of the best — draw two with the seeded
 * generator and take the one with the shorter queue — so randomness never costs more than {@code band}
 * of score.
 *
 * <p>Thread-safe: the only shared mutable state is the random generator, drawn under a lock. With the
 * same seed and the same sequence of calls, decisions repeat exactly.
 */
final class ScoringPolicy implements EnergyPolicy {

    private final String name;
    private final PolicyWeights weights;
    private final CostModel costModel;
    private final double nearTieBand;
    private final RandomGenerator random;
    private final Object randomLock = new Object();

    /**
     * @param nearTieBand score band for two random choices among near-ties; 0 disables them
     * @param random      the seeded generator for near-ties; null exactly when {@code nearTieBand} is 0
     */
    ScoringPolicy(String name, PolicyWeights weights, CostModel costModel, double nearTieBand,
                  RandomGenerator random) {
        this.name = Objects.requireNonNull(name, "name");
        this.weights = Objects.requireNonNull(weights, "weights");
        this.costModel = Objects.requireNonNull(costModel, "costModel");
        this.nearTieBand = nearTieBand;
        this.random = random;
        if ((nearTieBand > 0) != (random != null)) {
            throw new IllegalArgumentException("policy " + name + ": a near-tie band needs a random generator and"
                    + " a random generator needs a band > 0, but band was " + nearTieBand + " and generator "
                    + (random == null ? "absent" : "present"));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EnergyDecision decide(WorkRequest work, List<EnergyCandidate> candidates) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(candidates, "candidates");
        List<Jurisdiction> allowed = work.allowedJurisdictions().stream().map(Jurisdiction::parse)
                .sorted(Comparator.comparing(Jurisdiction::code)).toList();
        int n = candidates.size();
        List<CostBreakdown> costs = new ArrayList<>(n);
        List<List<Exclusion>> exclusions = new ArrayList<>(n);
        List<Integer> feasible = new ArrayList<>();
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EnergyCandidate c = Objects.requireNonNull(candidates.get(i), "candidate");
            CostBreakdown cost = costModel.estimate(work, c);
            List<Exclusion> why = exclusions(work, allowed, c, cost);
            costs.add(cost);
            exclusions.add(why);
            if (why.stream().noneMatch(x -> x.reason().hard())) {
                feasible.add(i);
                if (why.isEmpty()) {
                    eligible.add(i);
                }
            }
        }

        double[] scores = new double[n];
        Arrays.fill(scores, Double.NaN);
        Comparator<Integer> byLatency = Comparator.<Integer>comparingDouble(i -> latency(work, costs.get(i)))
                .thenComparingLong(i -> candidates.get(i).candidate().placedTotal())
                .thenComparing(i -> candidates.get(i).nodeId());
        int chosen;
        boolean missed = false;
        String reason;
        if (feasible.isEmpty()) {
            chosen = -1;
            reason = name + ": no candidate can take " + work.model() + " ("
                    + (n == 0 ? "no candidates" : exclusionSummary(candidates, exclusions)) + ")";
        } else if (eligible.isEmpty()) {
            chosen = feasible.stream().min(byLatency).orElseThrow();
            missed = true;
            LatencyEstimate l = costs.get(chosen).latency();
            reason = String.format(Locale.ROOT,
                    "%s: no candidate meets the latency objective (%s); chose the fastest, %s at %s"
                            + " (TTFT ~ %.0f ms, %.0f ms per output token)",
                    name, objective(work.objective()), candidates.get(chosen).nodeId(),
                    candidates.get(chosen).site().id(), l.ttftMs(), l.timePerOutputTokenMs());
        } else {
            score(work, eligible, costs, scores);
            List<Integer> ordered = eligible.stream()
                    .sorted(Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparing(byLatency)).toList();
            chosen = ordered.getFirst();
            String tie = "";
            if (random != null) {
                double limit = scores[chosen] + nearTieBand;
                List<Integer> shortlist = ordered.stream().filter(i -> scores[i] <= limit).toList();
                if (shortlist.size() >= 2) {
                    int a;
                    int b;
                    synchronized (randomLock) {
                        a = random.nextInt(shortlist.size());
                        b = random.nextInt(shortlist.size() - 1);
                    }
                    if (b >= a) {
                        b++;
                    }
                    int first = shortlist.get(Math.min(a, b));
                    int second = shortlist.get(Math.max(a, b));
                    chosen = candidates.get(second).queue().waitMs() < candidates.get(first).queue().waitMs()
                            ? second : first;
                    int other = chosen == first ? second : first;
                    tie = "; two random choices among " + shortlist.size() + " within " + nearTieBand
                            + " of the best score: " + candidates.get(chosen).nodeId() + " over "
                            + candidates.get(other).nodeId();
                }
            }
            EnergyCost e = costs.get(chosen).energy();
            int excluded = n - eligible.size();
            reason = String.format(Locale.ROOT,
                    "%s: chose %s at %s (score %s of %d eligible): %s gCO2e, %s USD, %s J, TTFT ~ %.0f ms%s%s%s",
                    name, candidates.get(chosen).nodeId(), candidates.get(chosen).site().id(),
                    EnergyDecision.num(scores[chosen]), eligible.size(), EnergyDecision.num(e.carbonG()),
                    EnergyDecision.num(e.costUsd()), EnergyDecision.num(e.itEnergyJ()),
                    costs.get(chosen).latency().ttftMs(), e.estimated() ? " (estimated)" : "", tie,
                    excluded == 0 ? "" : "; excluded " + exclusionSummary(candidates, exclusions));
        }

        List<Row> table = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            table.add(new Row(candidates.get(i), costs.get(i), exclusions.get(i), scores[i], i == chosen));
        }
        return new EnergyDecision(name, work, table, reason, missed);
    }

    private static List<Exclusion> exclusions(WorkRequest work, List<Jurisdiction> allowed, EnergyCandidate c,
                                              CostBreakdown cost) {
        List<Exclusion> why = new ArrayList<>(2);
        if (!c.candidate().telemetry().serves(work.model(), work.capability())) {
            why.add(new Exclusion(Reason.MODEL_NOT_SERVED,
                    "does not serve " + work.model() + " for " + work.capability()));
        }
        Jurisdiction at = c.site().jurisdiction();
        if (!allowed.isEmpty() && allowed.stream().noneMatch(at::within)) {
            why.add(new Exclusion(Reason.JURISDICTION, "site in " + at.code() + ", allowed "
                    + allowed.stream().map(Jurisdiction::code).toList()));
        }
        if (cost.powerLimitExceeded()) {
            why.add(new Exclusion(Reason.POWER_LIMIT, String.format(Locale.ROOT,
                    "site draw would be %s kW > limit %s kW", EnergyDecision.num(cost.energy().siteFacilityDrawKw()),
                    EnergyDecision.num(c.site().powerLimitKw()))));
        }
        LatencyEstimate l = cost.latency();
        WorkRequest.LatencyObjective objective = work.objective();
        if (l.ttftMs() > objective.ttftMs()) {
            why.add(new Exclusion(Reason.TTFT_OBJECTIVE, String.format(Locale.ROOT,
                    "TTFT ~ %.0f ms (RTT %.0f + queue %.0f + prefill %.0f) > objective %.0f ms",
                    l.ttftMs(), l.rttMs(), l.queueWaitMs(), l.prefillMs(), objective.ttftMs())));
        }
        if (work.expectedOutputTokens() > 0 && l.timePerOutputTokenMs() > objective.timePerOutputTokenMs()) {
            why.add(new Exclusion(Reason.TPOT_OBJECTIVE, String.format(Locale.ROOT,
                    "%.1f ms per output token > objective %.1f ms", l.timePerOutputTokenMs(),
                    objective.timePerOutputTokenMs())));
        }
        return why;
    }

    /** Fills {@code scores} for {@code eligible}: the weighted sum of min-max normalised criteria. */
    private void score(WorkRequest work, List<Integer> eligible, List<CostBreakdown> costs, double[] scores) {
        double[] w = {weights.latency(), weights.money(), weights.carbon(), weights.water(), weights.load()};
        double[][] x = new double[eligible.size()][];
        for (int k = 0; k < eligible.size(); k++) {
            CostBreakdown c = costs.get(eligible.get(k));
            x[k] = new double[] {latency(work, c), c.energy().costUsd(), c.energy().carbonG(), c.energy().waterL(),
                c.latency().queueWaitMs()};
        }
        for (int k = 0; k < eligible.size(); k++) {
            scores[eligible.get(k)] = 0;
        }
        for (int j = 0; j < w.length; j++) {
            if (w[j] == 0) {
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : x) {
                min = Math.min(min, row[j]);
                max = Math.max(max, row[j]);
            }
            if (!(max > min)) {
                continue;
            }
            for (int k = 0; k < eligible.size(); k++) {
                scores[eligible.get(k)] += w[j] * (x[k][j] - min) / (max - min);
            }
        }
    }

    /** The latency a client of {@code work} feels: first token when streamed, the whole answer otherwise. */
    private static double latency(WorkRequest work, CostBreakdown cost) {
        return work.streamed() ? cost.latency().ttftMs() : cost.latency().totalMs();
    }

    private static String objective(WorkRequest.LatencyObjective o) {
        List<String> parts = new ArrayList<>(2);
        if (Double.isFinite(o.ttftMs())) {
            parts.add(String.format(Locale.ROOT, "TTFT <= %.0f ms", o.ttftMs()));
        }
        if (Double.isFinite(o.timePerOutputTokenMs())) {
            parts.add(String.format(Locale.ROOT, "<= %.1f ms per output token", o.timePerOutputTokenMs()));
        }
        return String.join(", ", parts);
    }

    private static String exclusionSummary(List<EnergyCandidate> candidates, List<List<Exclusion>> exclusions) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (!exclusions.get(i).isEmpty()) {
                parts.add(candidates.get(i).nodeId() + ": " + exclusions.get(i).stream()
                        .map(x -> x.reason().name().toLowerCase(Locale.ROOT)).toList());
            }
        }
        return String.join(", ", parts);
    }

    @Override
    public String toString() {
        return name + " " + weights + (random == null ? "" : " near-tie band " + nearTieBand);
    }
}
