package io.lattice.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Shares the node's energy among the requests it runs: each request is charged the energy the node
 * used above idle while it ran, split evenly with the requests running beside it.
 *
 * <p>Design note (the attribution rule). Between two consecutive events (a request starting or
 * ending) the set of running requests is constant, say {@code n}. The meter's energy over that span
 * is {@code E}, its length {@code t}; the idle draw {@code P_idle} would have been used anyway, so
 * each of the {@code n} requests is charged {@code max(0, E − P_idle × t) / n}. A request's energy
 * is the sum over the spans it was running in. This is fair sharing, as a CPU scheduler accounts
 * time slices: two requests side by side each pay half, whatever their sizes; a small request
 * beside a large one pays slightly more than it caused, which the per-token fit averages out over
 * many requests. (Splitting by tokens produced in the span would need per-token timestamps from
 * every engine.) It is implemented with one running sum, the energy charged per running request so
 * far ({@code perShare}); a request's energy is its value at the end minus its value at the start,
 * so each event costs one meter reading and O(1) work, whatever the concurrency.
 *
 * <p>The idle draw: the power model knows it (its configured idle watts). A meter does not, so it is
 * learned from spans with nothing running that last at least {@link #MIN_IDLE_SPAN} (shorter ones are
 * mostly counter granularity), as an exponentially weighted average with weight
 * {@link #IDLE_SMOOTHING} for the newest span. Until the first such span it is taken as 0, charging
 * requests the whole draw; a node starts idle, so that span normally comes before the first request.
 * Energy the machine uses for other work than ours (another process) cannot be told apart by a
 * meter and is charged to the requests running then.
 *
 * <p>Thread-safe: every method synchronises on this object and reads the meter once.
 */
final class EnergyAttribution {

    /** The shortest span with nothing running that teaches the idle draw. */
    static final Duration MIN_IDLE_SPAN = Duration.ofMillis(200);
    /** Weight of the newest idle span in the learned idle draw. */
    static final double IDLE_SMOOTHING = 0.2;

    /** One running request's place in the sharing; ended once. */
    static final class Share {
        private final double start;
        private boolean ended;

        private Share(double start) {
            this.start = start;
        }
    }

    private final EnergyCounter energy;
    private final OptionalDouble knownIdleWatts;
    private final InstantSource clock;
    private Instant lastAt;
    private double lastJoules;
    private int running;
    private double perShare;
    private double learnedIdleWatts = Double.NaN;

    /**
     * @param energy         the node's meter
     * @param knownIdleWatts the idle draw when the meter knows it, W; empty to learn it
     */
    EnergyAttribution(EnergyCounter energy, OptionalDouble knownIdleWatts, InstantSource clock) {
        this.energy = Objects.requireNonNull(energy, "energy");
        this.knownIdleWatts = Objects.requireNonNull(knownIdleWatts, "knownIdleWatts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastAt = clock.instant();
        this.lastJoules = energy.joules();
    }

    /** A request starts running now. */
    synchronized Share begin() {
        advance();
        running++;
        return new Share(perShare);
    }

    /**
     * The request of {@code share} stops running now.
     *
     * @return the energy charged to it, J; 0 for a share already ended
     */
    synchronized double end(Share share) {
        if (share.ended) {
            return 0;
        }
        advance();
        share.ended = true;
        running--;
        return perShare - share.start;
    }

    /** The idle draw used, W: known, learned, or empty while neither. */
    synchronized OptionalDouble idleWatts() {
        if (knownIdleWatts.isPresent()) {
            return knownIdleWatts;
        }
        return Double.isNaN(learnedIdleWatts) ? OptionalDouble.empty() : OptionalDouble.of(learnedIdleWatts);
    }

    private void advance() {
        Instant now = clock.instant();
        double joules = energy.joules();
        long nanos = Math.max(0, Duration.between(lastAt, now).toNanos());
        double seconds = nanos / 1e9;
        double used = joules - lastJoules;
        if (running > 0) {
            double idle = knownIdleWatts.orElse(Double.isNaN(learnedIdleWatts) ? 0 : learnedIdleWatts);
            perShare += Math.max(0, used - idle * seconds) / running;
        } else if (knownIdleWatts.isEmpty() && nanos >= MIN_IDLE_SPAN.toNanos()) {
            double watts = used / seconds;
            learnedIdleWatts = Double.isNaN(learnedIdleWatts) ? watts
                    : learnedIdleWatts + IDLE_SMOOTHING * (watts - learnedIdleWatts);
        }
        lastAt = now;
        lastJoules = joules;
    }
}
