package io.lattice.store;

/**
 * The sums over a set of ledger entries. Immutable.
 *
 * @param requests          number of entries
 * @param promptTokens      prompt tokens
 * @param completionTokens  completion tokens
 * @param energyJ           energy in J
 * @param carbonG           emissions in gCO2e
 * @param costUsd           money in USD (may be negative)
 * @param waterL            water in L
 * @param heatReusedKwhTh   heat reused in kWh_th
 * @param estimatedRequests entries whose figures were modelled rather than metered
 */
public record LedgerFigures(
        long requests,
        long promptTokens,
        long completionTokens,
        double energyJ,
        double carbonG,
        double costUsd,
        double waterL,
        double heatReusedKwhTh,
        long estimatedRequests) {

    /** The sums over no entries. */
    public static final LedgerFigures ZERO = new LedgerFigures(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Share of the requests whose figures were estimated, 0 to 1; 0 when there are none. */
    public double estimatedShare() {
        return requests == 0 ? 0 : (double) estimatedRequests / requests;
    }

    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** These sums with {@code e} added: the reference the SQL sums are checked against. */
    public LedgerFigures plus(LedgerEntry e) {
        return new LedgerFigures(requests + 1, promptTokens + e.promptTokens(), completionTokens + e.completionTokens(),
                energyJ + e.energyJ(), carbonG + e.carbonG(), costUsd + e.costUsd(), waterL + e.waterL(),
                heatReusedKwhTh + e.heatReusedKwhTh(), estimatedRequests + (e.estimated() ? 1 : 0));
    }
}
