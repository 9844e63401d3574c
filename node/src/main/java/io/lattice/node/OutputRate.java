package io.lattice.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Measured output speed: generated tokens per second of generation time, over the completions that
 * finished within a trailing window (30 s by default).
 *
 * <p>Design note: this is the speed one request sees (what a gateway needs to predict decode time),
 * not the node's aggregate throughput: two requests running side by side at 10 tokens/s each report
 * 10, not 20. Generation time runs from the engine call to its return, so it includes prefill; for
 * short answers that makes the figure conservative. With no completion in the window the rate is 0,
 * meaning "unknown", not "slow".
 *
 * <p>Thread-safe.
 */
final class OutputRate {

    /** The default trailing window. */
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);

    private record Sample(Instant end, int tokens, long nanos) {
    }

    private final InstantSource clock;
    private final Duration window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long tokensInWindow;
    private long nanosInWindow;

    OutputRate(InstantSource clock, Duration window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
    }

    /**
     * Records one finished generation.
     *
     * @param tokens output tokens generated
     * @param took   time from the engine call to its return
     */
    synchronized void record(int tokens, Duration took) {
        if (tokens <= 0 || took.isNegative() || took.isZero()) {
            return;
        }
        Sample s = new Sample(clock.instant(), tokens, took.toNanos());
        samples.addLast(s);
        tokensInWindow += s.tokens();
        nanosInWindow += s.nanos();
        prune(s.end());
    }

    /** Output tokens per second of generation time over the window; 0 when nothing finished in it. */
    synchronized double tokensPerSecond() {
        prune(clock.instant());
        return nanosInWindow == 0 ? 0.0 : tokensInWindow / (nanosInWindow / 1e9);
    }

    private void prune(Instant now) {
        Instant from = now.minus(window);
        while (!samples.isEmpty() && samples.peekFirst().end().isBefore(from)) {
            Sample old = samples.removeFirst();
            tokensInWindow -= old.tokens();
            nanosInWindow -= old.nanos();
        }
    }
}
