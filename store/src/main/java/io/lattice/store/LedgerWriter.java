package io.lattice.store;

import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Writes ledger entries off the request path: {@link #submit} puts an entry on a bounded queue and
 * returns; one background thread writes what has queued up in batches, each batch one transaction
 * (one disk sync) through {@link LedgerRepository#appendAll}.
 *
 * <p>Never loses silently. When the queue is full, {@code submit} waits up to
 * {@link Config#offerTimeout()} and then drops the entry, counts it in {@link Stats#dropped()} and
 * logs a warning at most once per minute. A batch whose write fails is retried
 * {@link Config#maxAttempts()} times, then counted in {@link Stats#failed()} and logged. After
 * {@link #close()}, {@code accepted = written + duplicates + failed}.
 *
 * <p>Lifecycle: {@link #start} starts the thread (a daemon, so a forgotten writer does not keep the
 * JVM alive; what is still queued when the JVM exits without {@code close()} is lost, so close it
 * on shutdown). {@link #close()} stops accepting, writes everything accepted, then returns; close
 * the writer before its store.
 *
 * <p>Thread-safe.
 */
public interface LedgerWriter extends AutoCloseable {

    /** Starts a writer in front of {@code repository} with {@link Config#defaults()}. */
    static LedgerWriter start(LedgerRepository repository) {
        return start(repository, Config.defaults());
    }

    /** Starts a writer in front of {@code repository}. */
    static LedgerWriter start(LedgerRepository repository, Config config) {
        return AsyncLedgerWriter.start(repository, config);
    }

    /**
     * Queues {@code entry} for writing. Returns at once while the queue has room; otherwise waits up
     * to {@link Config#offerTimeout()}.
     *
     * @return true when the entry was accepted; false when it was dropped (queue full, writer closed,
     *         or the caller interrupted), which {@link Stats#dropped()} counts
     */
    boolean submit(LedgerEntry entry);

    /**
     * Waits until every entry accepted before this call has been written (or counted as failed).
     *
     * @return true when that happened within {@code timeout}
     */
    boolean flush(Duration timeout);

    /** The counters now. */
    Stats stats();

    /**
     * Stops accepting entries, writes every accepted one, and stops the thread; waits at most
     * {@link Config#closeTimeout()} and logs an error naming what is left if that is not enough.
     * Idempotent.
     */
    @Override
    void close();

    /**
     * Counters since start.
     *
     * @param accepted     entries {@link #submit} accepted
     * @param written      entries added to the ledger
     * @param duplicates   accepted entries the ledger already had (same tenant and request id)
     * @param dropped      entries refused: queue full, writer closed, or caller interrupted
     * @param failed       accepted entries whose batch still failed after every attempt
     * @param queued       entries waiting now
     * @param batches      transactions committed
     * @param largestBatch entries in the largest committed batch
     */
    record Stats(long accepted, long written, long duplicates, long dropped, long failed, int queued, long batches,
                 int largestBatch) {
    }

    /**
     * How a writer behaves. Immutable; start from {@link #defaults()}.
     *
     * @param capacity      queue capacity in entries, ≥ 1
     * @param maxBatch      most entries in one transaction, ≥ 1
     * @param offerTimeout  how long {@link #submit} waits for room in a full queue, ≥ 0
     * @param maxAttempts   attempts per batch before it is counted as failed, ≥ 1
     * @param retryBackoff  pause before the second attempt, doubled before each further one, ≥ 0
     * @param closeTimeout  how long {@link #close()} waits for the queue to be written, > 0
     * @param clock         time for rate-limiting log lines
     */
    record Config(int capacity, int maxBatch, Duration offerTimeout, int maxAttempts, Duration retryBackoff,
                  Duration closeTimeout, InstantSource clock) {

        private static final String OWNER = "LedgerWriter.Config";

        public Config {
            Checks.atLeast(OWNER, "capacity", capacity, 1);
            Checks.atLeast(OWNER, "maxBatch", maxBatch, 1);
            Checks.notNegative(OWNER, "offerTimeout", offerTimeout);
            Checks.atLeast(OWNER, "maxAttempts", maxAttempts, 1);
            Checks.notNegative(OWNER, "retryBackoff", retryBackoff);
            Checks.positive(OWNER, "closeTimeout", closeTimeout);
            Objects.requireNonNull(clock, OWNER + ": clock must not be null");
        }

        /**
         * 10,000 entries of queue, batches of up to 500, 50 ms wait when full, 5 attempts from 100 ms
         * backoff (about 1.5 s of retrying, enough to ride out a lock held by another process), 30 s
         * to close, the system clock.
         */
        public static Config defaults() {
            return new Config(10_000, 500, Duration.ofMillis(50), 5, Duration.ofMillis(100), Duration.ofSeconds(30),
                    Clock.systemUTC());
        }

        public Config withCapacity(int capacity) {
            return new Config(capacity, maxBatch, offerTimeout, maxAttempts, retryBackoff, closeTimeout, clock);
        }

        public Config withMaxBatch(int maxBatch) {
            return new Config(capacity, maxBatch, offerTimeout, maxAttempts, retryBackoff, closeTimeout, clock);
        }

        public Config withOfferTimeout(Duration offerTimeout) {
            return new Config(capacity, maxBatch, offerTimeout, maxAttempts, retryBackoff, closeTimeout, clock);
        }

        public Config withRetries(int maxAttempts, Duration retryBackoff) {
            return new Config(capacity, maxBatch, offerTimeout, maxAttempts, retryBackoff, closeTimeout, clock);
        }

        public Config withCloseTimeout(Duration closeTimeout) {
            return new Config(capacity, maxBatch, offerTimeout, maxAttempts, retryBackoff, closeTimeout, clock);
        }

        public Config withClock(InstantSource clock) {
            return new Config(capacity, maxBatch, offerTimeout, maxAttempts, retryBackoff, closeTimeout, clock);
        }
    }
}
