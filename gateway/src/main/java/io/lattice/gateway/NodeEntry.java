package io.lattice.gateway;

import io.lattice.core.Candidate;
import io.lattice.core.NodeTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gateway knows about one node: its latest heartbeat, when that arrived (by the gateway's
 * clock, so node clock skew does not matter), and the gateway's own counts of work sent there.
 *
 * <p>Thread-safe: heartbeats replace an immutable {@link Beat} in one volatile write, so readers
 * always see a telemetry and its arrival time together; counters are atomics.
 */
final class NodeEntry {

    /** A heartbeat and the gateway time it arrived. */
    record Beat(NodeTelemetry telemetry, Instant receivedAt) {
    }

    private final String nodeId;
    private volatile Beat beat;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong placedTotal = new AtomicLong();
    /** Set once the node has been seen silent, so "went silent" is logged once per outage. */
    private final AtomicBoolean silent = new AtomicBoolean();

    NodeEntry(NodeTelemetry telemetry, Instant receivedAt) {
        this.nodeId = telemetry.nodeId();
        this.beat = new Beat(telemetry, receivedAt);
    }

    String nodeId() {
        return nodeId;
    }

    Beat beat() {
        return beat;
    }

    NodeTelemetry telemetry() {
        return beat.telemetry();
    }

    void heartbeat(NodeTelemetry telemetry, Instant receivedAt) {
        if (!telemetry.nodeId().equals(nodeId)) {
            throw new IllegalArgumentException("heartbeat of " + telemetry.nodeId() + " given to " + nodeId);
        }
        beat = new Beat(telemetry, receivedAt);
    }

    /** Time since the last heartbeat arrived; never negative (a clock moved back counts as zero). */
    Duration age(Instant now) {
        Duration age = Duration.between(beat.receivedAt(), now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    boolean isLive(Instant now, Duration timeout) {
        return age(now).compareTo(timeout) <= 0;
    }

    /** Marks the node silent; true only for the first call of an outage. */
    boolean markSilent() {
        return silent.compareAndSet(false, true);
    }

    /** Marks the node heard from again; true if it had been marked silent. */
    boolean markHeard() {
        return silent.compareAndSet(true, false);
    }

    int inFlight() {
        return inFlight.get();
    }

    long placedTotal() {
        return placedTotal.get();
    }

    Candidate candidate() {
        return new Candidate(beat.telemetry(), inFlight.get(), placedTotal.get());
    }

    /** Counts a request placed here; the returned lease must be closed when the request ends. */
    Lease acquire() {
        inFlight.incrementAndGet();
        placedTotal.incrementAndGet();
        return new Lease(this);
    }

    /** Called once per lease, by {@link Lease#close()}. */
    void release() {
        int left = inFlight.decrementAndGet();
        if (left < 0) {
            // cannot happen while leases release once; keep the count honest if it ever does
            inFlight.compareAndSet(left, 0);
            throw new IllegalStateException("node " + nodeId + " in-flight count went below zero");
        }
    }

    @Override
    public String toString() {
        return "NodeEntry[" + nodeId + ", inFlight=" + inFlight.get() + ", placed=" + placedTotal.get() + "]";
    }
}
