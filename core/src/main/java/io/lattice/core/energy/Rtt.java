package io.lattice.core.energy;

/**
 * Network round-trip time between the client's side (the gateway, or the client when its location is
 * known) and a site.
 *
 * @param ms       round-trip time in ms, ≥ 0
 * @param measured true when measured (for example from heartbeat round trips), false when estimated
 *                 from distance by an {@link RttModel}
 */
public record Rtt(double ms, boolean measured) {

    public Rtt {
        Checks.atLeast("Rtt", "ms", ms, 0, "time cannot be negative");
    }

    /** A measured round-trip time of {@code ms}. */
    public static Rtt measured(double ms) {
        return new Rtt(ms, true);
    }
}
