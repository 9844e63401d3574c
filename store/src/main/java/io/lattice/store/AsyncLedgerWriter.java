package io.lattice.store;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link LedgerWriter} with an {@link ArrayBlockingQueue} and one platform thread.
 *
 * <p>Design note. The queue holds entries and flush markers in FIFO order; the thread takes what
 * has queued up (up to {@code maxBatch} entries) and writes it in one transaction, so under load the
 * batches grow and the disk syncs per entry fall, and when idle an entry is written at once. A flush
 * marker makes the thread write what it holds before releasing the caller, which is how
 * {@link #flush} knows every earlier entry is down. Submitters hold the read side of a lock while
 * they check {@code closed} and offer, and {@link #close()} takes the write side to set it, so no
 * entry can slip into the queue after the thread has decided it is done. The thread is a platform
 * thread: the SQLite driver works in native code, which would pin a virtual thread's carrier anyway.
 */
final class AsyncLedgerWriter implements LedgerWriter {

    private static final System.Logger LOG = System.getLogger("io.lattice.store");
    private static final long POLL_MS = 50;
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final LedgerRepository repository;
    private final Config config;
    private final ArrayBlockingQueue<Object> queue;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private final Thread worker;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private final Throttle dropLog;
    private final Throttle failureLog;

    /** A flush request travelling through the queue behind the entries it waits for. */
    private record Flush(CountDownLatch done) {
    }

    private AsyncLedgerWriter(LedgerRepository repository, Config config) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.queue = new ArrayBlockingQueue<>(config.capacity());
        this.dropLog = new Throttle(config.clock(), LOG_EVERY);
        this.failureLog = new Throttle(config.clock(), LOG_EVERY);
        this.worker = Thread.ofPlatform().name("lattice-ledger-writer").daemon(true).unstarted(this::run);
    }

    static AsyncLedgerWriter start(LedgerRepository repository, Config config) {
        AsyncLedgerWriter w = new AsyncLedgerWriter(repository, config);
        w.worker.start();
        return w;
    }

    @Override
    public boolean submit(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry must not be null");
        String reason;
        gate.readLock().lock();
        try {
            if (closed) {
                reason = "the writer is closed";
            } else if (queue.offer(entry) || offerWaiting(entry)) {
                accepted.incrementAndGet();
                return true;
            } else {
                reason = Thread.currentThread().isInterrupted() ? "the caller was interrupted"
                        : "the queue of " + config.capacity() + " stayed full for " + config.offerTimeout().toMillis()
                        + " ms (the store is not keeping up)";
            }
        } finally {
            gate.readLock().unlock();
        }
        long total = dropped.incrementAndGet();
        if (dropLog.ready()) {
            LOG.log(Level.WARNING, "ledger entry {0} of tenant {1} dropped: {2}; {3} dropped since start"
                    + " (logged at most once a minute)", entry.requestId(), entry.tenant(), reason, total);
        }
        return false;
    }

    private boolean offerWaiting(Object item) {
        try {
            return queue.offer(item, config.offerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        Flush marker = new Flush(new CountDownLatch(1));
        boolean wasClosed;
        gate.readLock().lock();
        try {
            wasClosed = closed;
            if (!wasClosed && !queue.offer(marker, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            gate.readLock().unlock();
        }
        if (wasClosed) {
            // closing writes everything accepted; done once the thread has ended
            return awaitWorker(timeout);
        }
        try {
            return marker.done().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public Stats stats() {
        int queued = 0;
        for (Object o : queue) {
            if (o instanceof LedgerEntry) {
                queued++;
            }
        }
        return new Stats(accepted.get(), written.get(), duplicates.get(), dropped.get(), failed.get(), queued,
                batches.get(), largestBatch.get());
    }

    @Override
    public void close() {
        gate.writeLock().lock();
        try {
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
        if (Thread.currentThread() == worker) {
            return;
        }
        if (!awaitWorker(config.closeTimeout())) {
            LOG.log(Level.ERROR, "ledger writer did not finish within {0} ms; {1} entries still queued and will be"
                    + " lost if the process exits now ({2})", config.closeTimeout().toMillis(), stats().queued(), stats());
        } else {
            LOG.log(Level.DEBUG, "ledger writer closed: {0}", stats());
        }
    }

    private boolean awaitWorker(Duration timeout) {
        try {
            return worker.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !worker.isAlive();
        }
    }

    private void run() {
        List<Object> taken = new ArrayList<>(config.maxBatch());
        List<LedgerEntry> batch = new ArrayList<>(config.maxBatch());
        while (true) {
            Object first;
            try {
                first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // nobody but the JVM interrupts this thread; closing is signalled by the flag
                continue;
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            taken.add(first);
            queue.drainTo(taken, config.maxBatch() - 1);
            for (Object item : taken) {
                if (item instanceof LedgerEntry e) {
                    batch.add(e);
                } else if (item instanceof Flush f) {
                    write(batch);
                    batch.clear();
                    f.done().countDown();
                }
            }
            write(batch);
            batch.clear();
            taken.clear();
        }
    }

    /** Writes one batch in one transaction, retrying; counts the outcome. */
    private void write(List<LedgerEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        RuntimeException last = null;
        long backoffMs = config.retryBackoff().toMillis();
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            try {
                int added = repository.appendAll(batch);
                written.addAndGet(added);
                duplicates.addAndGet(batch.size() - added);
                batches.incrementAndGet();
                largestBatch.accumulateAndGet(batch.size(), Math::max);
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.log(Level.DEBUG, () -> "ledger batch write failed, will retry: " + e.getMessage());
                if (attempt < config.maxAttempts() && backoffMs > 0) {
                    sleep(backoffMs);
                    backoffMs *= 2;
                }
            }
        }
        long total = failed.addAndGet(batch.size());
        if (failureLog.ready()) {
            LOG.log(Level.ERROR, "ledger writer could not write " + batch.size() + " entries (first request "
                    + batch.getFirst().requestId() + ") after " + config.maxAttempts() + " attempts; " + total
                    + " entries failed since start (logged at most once a minute)", last);
        }
    }

    /**
     * The pause between retries of a failed batch write. A fixed, doubling pause is right here: the
     * usual cause is SQLite busy or a full disk, which no event announces the end of, and the writer
     * thread has nothing else to do meanwhile (new entries wait in the bounded queue).
     */
    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // keep retrying: the flag is the only stop signal
        }
    }

    /** Says yes at most once per period, so a storm of drops or failures logs one line a minute. */
    static final class Throttle {
        private final InstantSource clock;
        private final Duration every;
        private Instant last;

        Throttle(InstantSource clock, Duration every) {
            this.clock = clock;
            this.every = every;
        }

        synchronized boolean ready() {
            Instant now = clock.instant();
            if (last == null || !now.isBefore(last.plus(every))) {
                last = now;
                return true;
            }
            return false;
        }
    }
}
