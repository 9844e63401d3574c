package io.lattice.core;

import java.util.Objects;

/**
 * A live node as placement sees it: its last telemetry plus what the gateway itself knows.
 *
 * @param telemetry       the node's latest heartbeat
 * @param gatewayInFlight requests this gateway has sent to the node that have not finished yet;
 *                        fresher than the node's own count, which is up to one heartbeat old
 * @param placedTotal     requests this gateway has placed on the node since it joined
 */
public record Candidate(NodeTelemetry telemetry, int gatewayInFlight, long placedTotal) {
    public Candidate {
        Objects.requireNonNull(telemetry, "telemetry");
    }

    public String nodeId() {
        return telemetry.nodeId();
    }

    public String siteId() {
        return telemetry.siteId();
    }
}
