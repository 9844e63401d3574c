package io.lattice.core.energy;

import io.lattice.core.GeoPoint;

/**
 * Estimates network round-trip time from distance when nothing has been measured.
 *
 * <p>Design note: {@code RTT ms = 2 × great-circle km × routeFactor / fibreKmPerMs + overheadMs}.
 * Light in glass fibre covers about 200 km per ms (two thirds of c). Real paths are longer than the
 * great circle and routers queue packets: measured Internet latency runs at about twice the
 * great-circle fibre floor (Bozkurt et al., "Dissecting Latency in the Internet's Fiber
 * Infrastructure", 2018, give the rule of thumb 2.1; Cheshire's Stanford–Boston ping, 85 ms against a
 * 43 ms floor, says the same). {@link #DEFAULT} uses a route factor of 2 and adds 5 ms for the access
 * network at both ends. Paris–Berlin (878 km) comes out at about 23 ms.
 *
 * @param fibreKmPerMs distance light covers in fibre per ms, in km/ms, &gt; 0
 * @param routeFactor  path length (and delay inflation) over the great circle, ≥ 1
 * @param overheadMs   fixed round-trip overhead in ms (access networks, switching), ≥ 0
 */
public record RttModel(double fibreKmPerMs, double routeFactor, double overheadMs) {

    /** 200 km/ms, route factor 2, 5 ms overhead: see the design note. */
    public static final RttModel DEFAULT = new RttModel(200, 2, 5);

    public RttModel {
        Checks.positive("RttModel", "fibreKmPerMs", fibreKmPerMs, "light moves");
        Checks.atLeast("RttModel", "routeFactor", routeFactor, 1, "no path is shorter than the great circle");
        Checks.atLeast("RttModel", "overheadMs", overheadMs, 0, "time cannot be negative");
    }

    /** Estimated round-trip time in ms between {@code from} and {@code to}. */
    public double estimateMs(GeoPoint from, GeoPoint to) {
        return 2 * from.distanceKm(to) * routeFactor / fibreKmPerMs + overheadMs;
    }

    /** An estimated (not measured) {@link Rtt} between {@code from} and {@code to}. */
    public Rtt estimate(GeoPoint from, GeoPoint to) {
        return new Rtt(estimateMs(from, to), false);
    }
}
