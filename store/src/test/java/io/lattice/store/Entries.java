package io.lattice.store;

import io.lattice.core.energy.Jurisdiction;
import java.time.Instant;

/** Ledger entries for tests. */
final class Entries {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private Entries() {
    }

    /** A completed chat request of {@code tenant} at {@code T0 + offsetS}, with small round figures. */
    static LedgerEntry.Builder chat(String requestId, String tenant, long offsetS) {
        return LedgerEntry.builder(requestId, tenant, T0.plusSeconds(offsetS))
                .endpoint("/v1/chat/completions")
                .model("qwen2.5-0.5b-q4")
                .placement("node-1", "farm", Jurisdiction.parse("FR"))
                .policy("greenest")
                .tokens(10, 20)
                .energyJ(30)
                .carbonG(0.5)
                .costUsd(0.001)
                .waterL(0.01)
                .heatReusedKwhTh(0.002)
                .latencyMs(120);
    }

    static LedgerEntry simple(String requestId, String tenant, long offsetS) {
        return chat(requestId, tenant, offsetS).build();
    }
}
