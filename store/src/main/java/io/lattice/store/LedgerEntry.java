package io.lattice.store;

import io.lattice.core.energy.Jurisdiction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What one request used, as written to the ledger: who asked, where it ran, and what it cost in
 * tokens, energy, carbon, money, water and heat. Immutable; build one with {@link #builder}.
 *
 * <p>Identity: the ledger keeps one entry per {@code (tenant, requestId)}; appending the same pair
 * again is a no-op (the first entry wins), so a retried write never counts a request twice.
 *
 * <p>Time is kept to the microsecond (the constructor truncates), so SQLite and PostgreSQL return
 * exactly the instant that was written.
 *
 * @param requestId         the gateway's id for the request, not blank, at most 256 characters
 * @param tenant            the tenant billed, not blank
 * @param time              when the request was received, truncated to microseconds
 * @param endpoint          the OpenAI endpoint served, for example {@code /v1/chat/completions} or
 *                          {@code /v1/embeddings}; not blank
 * @param model             the model name served; not blank
 * @param node              the node that ran it; null when it was never placed
 * @param site              the node's site; null when it was never placed
 * @param jurisdiction      where the site lies in law (for residency audits); null when unknown
 * @param policy            the placement policy that chose the node, for example {@code greenest};
 *                          null when none applied
 * @param promptTokens      prompt (input) tokens, ≥ 0
 * @param completionTokens  completion (output) tokens, ≥ 0
 * @param energyJ           energy in J, ≥ 0
 * @param carbonG           emissions in gCO2e, ≥ 0
 * @param costUsd           money in USD, finite; negative when power prices were
 * @param waterL            water in L, ≥ 0
 * @param heatReusedKwhTh   heat delivered to a heat taker, in kWh_th, ≥ 0
 * @param estimated         true when any figure was modelled rather than metered
 * @param latencyMs         time from receipt to the last byte, in ms, ≥ 0
 * @param status            how the request ended
 */
public record LedgerEntry(
        String requestId,
        String tenant,
        Instant time,
        String endpoint,
        String model,
        String node,
        String site,
        Jurisdiction jurisdiction,
        String policy,
        long promptTokens,
        long completionTokens,
        double energyJ,
        double carbonG,
        double costUsd,
        double waterL,
        double heatReusedKwhTh,
        boolean estimated,
        long latencyMs,
        LedgerStatus status) {

    private static final String OWNER = "LedgerEntry";

    /**
     * @throws IllegalArgumentException when a field breaks its rule above (the message names it)
     * @throws NullPointerException     when a required field is null
     */
    public LedgerEntry {
        Checks.notBlank(OWNER, "requestId", requestId);
        Checks.notBlank(OWNER, "tenant", tenant);
        Objects.requireNonNull(time, OWNER + ": time must not be null");
        Checks.epochMicros(OWNER, "time", time);
        time = time.truncatedTo(ChronoUnit.MICROS);
        Checks.notBlank(OWNER, "endpoint", endpoint);
        Checks.notBlank(OWNER, "model", model);
        Checks.nullOrNotBlank(OWNER, "node", node);
        Checks.nullOrNotBlank(OWNER, "site", site);
        Checks.nullOrNotBlank(OWNER, "policy", policy);
        Checks.notNegative(OWNER, "promptTokens", promptTokens);
        Checks.notNegative(OWNER, "completionTokens", completionTokens);
        Checks.notNegative(OWNER, "energyJ", energyJ);
        Checks.notNegative(OWNER, "carbonG", carbonG);
        Checks.finite(OWNER, "costUsd", costUsd);
        Checks.notNegative(OWNER, "waterL", waterL);
        Checks.notNegative(OWNER, "heatReusedKwhTh", heatReusedKwhTh);
        Checks.notNegative(OWNER, "latencyMs", latencyMs);
        Objects.requireNonNull(status, OWNER + ": status must not be null");
    }

    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * A builder with the identity fields set, status {@link LedgerStatus#COMPLETED} and every figure
     * zero; {@code endpoint} and {@code model} must be set before {@link Builder#build()}.
     */
    public static Builder builder(String requestId, String tenant, Instant time) {
        return new Builder(requestId, tenant, time);
    }

    /** A builder starting from this entry's fields. */
    public Builder toBuilder() {
        Builder b = new Builder(requestId, tenant, time);
        b.endpoint = endpoint;
        b.model = model;
        b.node = node;
        b.site = site;
        b.jurisdiction = jurisdiction;
        b.policy = policy;
        b.promptTokens = promptTokens;
        b.completionTokens = completionTokens;
        b.energyJ = energyJ;
        b.carbonG = carbonG;
        b.costUsd = costUsd;
        b.waterL = waterL;
        b.heatReusedKwhTh = heatReusedKwhTh;
        b.estimated = estimated;
        b.latencyMs = latencyMs;
        b.status = status;
        return b;
    }

    /** Builds a {@link LedgerEntry}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String requestId;
        private final String tenant;
        private final Instant time;
        private String endpoint;
        private String model;
        private String node;
        private String site;
        private Jurisdiction jurisdiction;
        private String policy;
        private long promptTokens;
        private long completionTokens;
        private double energyJ;
        private double carbonG;
        private double costUsd;
        private double waterL;
        private double heatReusedKwhTh;
        private boolean estimated;
        private long latencyMs;
        private LedgerStatus status = LedgerStatus.COMPLETED;

        private Builder(String requestId, String tenant, Instant time) {
            this.requestId = requestId;
            this.tenant = tenant;
            this.time = time;
        }

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Where it ran; any may be null when the request was never placed. */
        public Builder placement(String node, String site, Jurisdiction jurisdiction) {
            this.node = node;
            this.site = site;
            this.jurisdiction = jurisdiction;
            return this;
        }

        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        public Builder tokens(long promptTokens, long completionTokens) {
            this.promptTokens = promptTokens;
            this.completionTokens = completionTokens;
            return this;
        }

        public Builder energyJ(double energyJ) {
            this.energyJ = energyJ;
            return this;
        }

        public Builder carbonG(double carbonG) {
            this.carbonG = carbonG;
            return this;
        }

        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        public Builder waterL(double waterL) {
            this.waterL = waterL;
            return this;
        }

        public Builder heatReusedKwhTh(double heatReusedKwhTh) {
            this.heatReusedKwhTh = heatReusedKwhTh;
            return this;
        }

        public Builder estimated(boolean estimated) {
            this.estimated = estimated;
            return this;
        }

        public Builder latencyMs(long latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder status(LedgerStatus status) {
            this.status = status;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a field breaks its rule (see {@link LedgerEntry})
         * @throws NullPointerException     when a required field was not set
         */
        public LedgerEntry build() {
            return new LedgerEntry(requestId, tenant, time, endpoint, model, node, site, jurisdiction, policy,
                    promptTokens, completionTokens, energyJ, carbonG, costUsd, waterL, heatReusedKwhTh, estimated,
                    latencyMs, status);
        }
    }
}
