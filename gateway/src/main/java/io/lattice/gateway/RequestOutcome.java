package io.lattice.gateway;

import io.lattice.core.energy.EnergyCost;
import io.lattice.core.energy.Jurisdiction;
import io.lattice.http.RequestIds;
import io.lattice.store.LedgerEntry;
import io.lattice.store.LedgerStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What became of one client request, gathered while it is relayed, and turned into its ledger entry
 * once it has ended. The relay records where it ran ({@link #placed}), what it cost (the same
 * {@link Placer.Figures} that went into the response's {@code usage.lattice}) and how it ended.
 *
 * <p>Identity: every request gets its own {@link #ledgerId()}, made by the gateway. The client's
 * {@code x-request-id} is not used for it: the ledger keeps one entry per (tenant, id), so a client
 * that reuses its ids would otherwise be undercounted. The client's id stays in the logs.
 *
 * <p>Not thread-safe: one instance per request, used by the thread handling it.
 */
final class RequestOutcome {

    /** The prefix of the gateway's ledger ids, {@code lgr_} and 24 hex digits. */
    static final String ID_PREFIX = "lgr_";

    private final String ledgerId = RequestIds.objectId(ID_PREFIX);
    private final String tenant;
    private final Instant receivedAt;
    private final long startNanos;
    private final String endpoint;
    private final String clientRequestId;
    private String model;
    private Placer.Attempt attempt;
    private Placer.Figures figures;
    private LedgerStatus status = LedgerStatus.FAILED;

    /**
     * @param tenant          who is billed; not blank
     * @param receivedAt      when the request arrived, on the gateway's clock
     * @param startNanos      {@link System#nanoTime()} when it arrived, for its latency
     * @param endpoint        the path served, for example {@code /v1/chat/completions}
     * @param clientRequestId the request's {@code x-request-id} (the client's or a new one), for logs
     */
    RequestOutcome(String tenant, Instant receivedAt, long startNanos, String endpoint, String clientRequestId) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.startNanos = startNanos;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.clientRequestId = Objects.requireNonNull(clientRequestId, "clientRequestId");
    }

    String ledgerId() {
        return ledgerId;
    }

    String endpoint() {
        return endpoint;
    }

    String clientRequestId() {
        return clientRequestId;
    }

    /** The model asked for, once the body is parsed. */
    void model(String model) {
        this.model = model;
    }

    /** The request was placed (or placed again after a failure): figures of an earlier node no longer apply. */
    void placed(Placer.Attempt attempt) {
        this.attempt = attempt;
        this.figures = null;
    }

    /** What the answer cost, as written into its {@code usage.lattice}. */
    void figures(Placer.Figures figures) {
        this.figures = figures;
    }

    void status(LedgerStatus status) {
        this.status = Objects.requireNonNull(status);
    }

    LedgerStatus status() {
        return status;
    }

    /** Whether the request reached a node; only those are ledgered. */
    boolean wasPlaced() {
        return attempt != null && model != null;
    }

    /**
     * The ledger entry for this request as it stands. Figures are zero when the answer carried no
     * {@code usage} (an error, or a stream that broke off before its usage event); carbon, cost, water
     * and heat are zero, and {@code estimated} true, for a node at a site the gateway does not know.
     *
     * @param nowNanos {@link System#nanoTime()} now, when the request ended
     */
    LedgerEntry entry(long nowNanos) {
        if (!wasPlaced()) {
            throw new IllegalStateException("request " + clientRequestId + " was never placed");
        }
        var node = attempt.lease().node().telemetry();
        GatewaySite site = attempt.site();
        Jurisdiction jurisdiction = site == null ? null : site.site().jurisdiction();
        LedgerEntry.Builder b = LedgerEntry.builder(ledgerId, tenant, receivedAt)
                .endpoint(endpoint)
                .model(model)
                .placement(node.nodeId(), node.siteId(), jurisdiction)
                .policy(attempt.policy())
                .latencyMs(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos)))
                .status(status);
        if (figures == null) {
            // no usage, so nothing can be said; modelled rather than measured
            return b.estimated(true).build();
        }
        b.tokens(figures.promptTokens(), figures.completionTokens())
                .energyJ(figures.energyJ())
                .estimated(figures.estimated());
        EnergyCost c = figures.cost();
        if (c != null) {
            b.carbonG(c.carbonG()).costUsd(c.costUsd()).waterL(c.waterL()).heatReusedKwhTh(c.heatReusedKwhTh());
        }
        return b.build();
    }
}
