package io.lattice.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * The share of slot-time that engine slots were busy over a trailing window; the utilisation the
 * power model turns into watts.
 *
 * <p>Design note: a sample of "slots busy right now" at each heartbeat would flicker between 0 and
 * 1 for short requests. Instead every hold of a slot is an interval; utilisation is the busy
 * slot-seconds that overlap {@code [now - window, now]} divided by {@code slots × window} (or by the
 * time since the meter started, while that is shorter). Finished intervals older than the window are
 * dropped, so memory is bounded by the request rate times the window.
 *
 * <p>Thread-safe: all methods synchronise on the meter; they do little work.
 */
final class BusyWindow {

    /** A slot being held; identity matters, not value. */
    static final class Hold {
        private final Instant start;

        private Hold(Instant start) {
            this.start = start;
        }
    }

    private record Interval(Instant start, Instant end) {
    }

    private final InstantSource clock;
    private final Duration window;
    private final int slots;
    private final Instant origin;
    private final Set<Hold> active = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ArrayDeque<Interval> finished = new ArrayDeque<>();
    /** Busy slot-nanoseconds of every hold that has ended since the meter started; never pruned. */
    private long endedBusyNanos;

    /**
     * @param window how far back utilisation looks
     * @param slots  the number of slots being metered; 0 makes utilisation always 0
     */
    BusyWindow(InstantSource clock, Duration window, int slots) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be 0 or more but was " + slots);
        }
        this.slots = slots;
        this.origin = clock.instant();
    }

    /** Marks one slot busy from now until {@link #end(Hold)}. */
    synchronized Hold begin() {
        Hold hold = new Hold(clock.instant());
        active.add(hold);
        return hold;
    }

    /** Marks the slot of {@code hold} free again; a second call for the same hold does nothing. */
    synchronized void end(Hold hold) {
        if (active.remove(hold)) {
            Instant now = clock.instant();
            finished.addLast(new Interval(hold.start, now));
            endedBusyNanos += Duration.between(hold.start, now).toNanos();
        }
    }

    /** The number of slots being metered. */
    int slots() {
        return slots;
    }

    /**
     * Busy slot-nanoseconds since the meter started, holds still running included: a counter that
     * only grows, so the busy time between two readings is their difference.
     */
    synchronized long busyNanos() {
        Instant now = clock.instant();
        long busy = endedBusyNanos;
        for (Hold h : active) {
            busy += Duration.between(h.start, now).toNanos();
        }
        return busy;
    }

    /** Busy share of slot-time over the window, 0 to 1. */
    synchronized double utilisation() {
        if (slots == 0) {
            return 0;
        }
        Instant now = clock.instant();
        Instant from = now.minus(window);
        if (from.isBefore(origin)) {
            from = origin;
        }
        // drop what ended before the window; intervals end in order of end(), so the head is oldest
        for (Iterator<Interval> it = finished.iterator(); it.hasNext(); ) {
            if (it.next().end().isBefore(from)) {
                it.remove();
            } else {
                break;
            }
        }
        long spanNanos = Duration.between(from, now).toNanos();
        if (spanNanos <= 0) {
            return Math.min(1.0, (double) active.size() / slots);
        }
        long busyNanos = 0;
        for (Interval i : finished) {
            busyNanos += overlap(i.start(), i.end(), from, now);
        }
        for (Hold h : active) {
            busyNanos += overlap(h.start, now, from, now);
        }
        return Math.clamp((double) busyNanos / ((double) spanNanos * slots), 0.0, 1.0);
    }

    private static long overlap(Instant start, Instant end, Instant from, Instant to) {
        Instant s = start.isBefore(from) ? from : start;
        Instant e = end.isAfter(to) ? to : end;
        return e.isAfter(s) ? Duration.between(s, e).toNanos() : 0;
    }
}
