package io.lattice.core.energy;

import io.lattice.core.Placement;
import io.lattice.core.WorkRequest;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link EnergyPolicy} decided and why: the candidate table with every node's cost breakdown,
 * its score or the reasons it was excluded, and which one was chosen. It is also the
 * {@link Placement#explanation()} of the placements the adapted policies return, so the gateway can
 * answer {@code x-lattice-explain: true} with it.
 *
 * @param policy          the policy's name
 * @param work            the request it placed
 * @param table           one row per candidate, in the order the policy was given them
 * @param reason          one readable line: what was chosen and why, or why nothing was
 * @param objectiveMissed true when no candidate could meet the latency objective and the fastest was
 *                        chosen instead
 */
public record EnergyDecision(String policy, WorkRequest work, List<Row> table, String reason,
                             boolean objectiveMissed) implements Placement.Explanation {

    public EnergyDecision {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(reason, "reason");
        table = List.copyOf(table);
        long chosen = table.stream().filter(Row::chosen).count();
        if (chosen > 1) {
            throw new IllegalArgumentException("EnergyDecision: at most one row may be chosen but " + chosen + " were");
        }
        if (objectiveMissed && chosen == 0) {
            throw new IllegalArgumentException("EnergyDecision: objectiveMissed needs a chosen row");
        }
    }

    /** Why a candidate was not eligible. */
    public enum Reason {
        /** The node does not serve the model on the requested endpoint. */
        MODEL_NOT_SERVED,
        /** The site lies outside the jurisdictions the request allows. */
        JURISDICTION,
        /** Adding the request would take the site above its power limit. */
        POWER_LIMIT,
        /** The estimated time to first token exceeds the objective. */
        TTFT_OBJECTIVE,
        /** The node decodes slower than the objective's time per output token. */
        TPOT_OBJECTIVE;

        /** Whether the reason rules the node out even when nothing else is left (all but the latency ones). */
        public boolean hard() {
            return this != TTFT_OBJECTIVE && this != TPOT_OBJECTIVE;
        }
    }

    /**
     * Why one candidate was excluded.
     *
     * @param reason the rule it broke
     * @param detail the figures, for example {@code TTFT 2020 ms > objective 1500 ms}
     */
    public record Exclusion(Reason reason, String detail) {
        public Exclusion {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * One candidate in the table.
     *
     * @param candidate  the candidate as the policy saw it
     * @param cost       its cost breakdown for this request
     * @param exclusions why it was not eligible; empty when it was
     * @param score      its score, lower is better (0 to the sum of the weights); NaN when it was not
     *                   scored (excluded, or the fallback to the fastest applied)
     * @param chosen     whether it was chosen
     */
    public record Row(EnergyCandidate candidate, CostBreakdown cost, List<Exclusion> exclusions, double score,
                      boolean chosen) {
        public Row {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(cost, "cost");
            exclusions = List.copyOf(exclusions);
        }

        /** Whether no rule excluded it. */
        public boolean eligible() {
            return exclusions.isEmpty();
        }

        /** The node's id. */
        public String nodeId() {
            return candidate.nodeId();
        }
    }

    /** The chosen row; empty when no candidate could take the work. */
    public Optional<Row> chosen() {
        return table.stream().filter(Row::chosen).findFirst();
    }

    /** The decision as a {@link Placement} carrying this decision as its explanation; empty when nothing was chosen. */
    public Optional<Placement> placement() {
        return chosen().map(row -> new Placement(row.candidate().candidate(), policy, reason, this));
    }

    /** One readable line per candidate, for logs and {@code x-lattice-explain}. */
    @Override
    public List<String> lines() {
        List<String> lines = new ArrayList<>(table.size());
        for (Row row : table) {
            EnergyCost e = row.cost().energy();
            LatencyEstimate l = row.cost().latency();
            String verdict;
            if (row.chosen()) {
                verdict = objectiveMissed ? "CHOSEN (fastest; objective missed)" : "CHOSEN, score " + num(row.score());
            } else if (row.eligible()) {
                verdict = "score " + num(row.score());
            } else {
                List<String> why = new ArrayList<>();
                for (Exclusion x : row.exclusions()) {
                    why.add(x.reason().name().toLowerCase(Locale.ROOT) + ": " + x.detail());
                }
                verdict = "excluded (" + String.join("; ", why) + ")";
            }
            lines.add(String.format(Locale.ROOT,
                    "%s @ %s: %s J, %s kWh, %s USD, %s gCO2e, %s L, heat %s kWh_th, RTT %.0f ms,"
                            + " queue %.0f ms, TTFT %.0f ms, total %.0f ms%s - %s",
                    row.nodeId(), row.candidate().site().id(), num(e.itEnergyJ()), num(e.facilityEnergyKwh()),
                    num(e.costUsd()), num(e.carbonG()), num(e.waterL()), num(e.heatReusedKwhTh()), l.rttMs(),
                    l.queueWaitMs(), l.ttftMs(), l.totalMs(), e.estimated() ? " (estimated)" : "", verdict));
        }
        return lines;
    }

    /** Three significant figures, without exponent noise for everyday magnitudes. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        double abs = Math.abs(v);
        if (abs >= 1e-4 && abs < 1e6) {
            return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
