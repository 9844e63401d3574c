package io.lattice.gateway.signal;

import io.lattice.core.signal.CarbonBasis;
import io.lattice.core.signal.FallbackRule;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.SignalReading;
import io.lattice.core.signal.TimeSeries;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link LiveSignalSource} every provider shares: holds the latest observation and forecast in one
 * immutable {@link State}, answers reads with {@link FallbackRule#resolve}, and polls through a
 * {@link Fetcher} when due (see the package description for the polling model).
 *
 * <p>Thread-safety: reads take a volatile snapshot and never lock; polls are serialised by a lock, so at most
 * one runs at a time and the state has one writer; a read starts at most one background poll at a time.
 */
final class PollingSignalSource implements LiveSignalSource {

    private static final System.Logger LOG = System.getLogger(PollingSignalSource.class.getName());
    private static final Set<SignalKind> KINDS = Set.of(SignalKind.CARBON_INTENSITY);
    private static final Duration HOUR = Duration.ofHours(1);

    /** Everything a read needs, replaced whole after each poll. Nullable fields are null until known. */
    private record State(FallbackRule.Observation latest, TimeSeries forecast, Instant lastAttempt,
                         Instant lastSuccess, String lastError, int consecutiveFailures) {
        static final State EMPTY = new State(null, null, null, null, null, 0);
    }

    private final Fetcher fetcher;
    private final CarbonBasis basis;
    private final Clock clock;
    private final FallbackRule fallback;
    private final Duration refreshEvery;
    private final Duration retryAfter;
    private final Executor executor;
    private final AutoCloseable resources;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final AtomicBoolean pollStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile State state = State.EMPTY;

    /**
     * @param resources what {@link #close()} releases (the owned HTTP client and executor)
     */
    PollingSignalSource(Fetcher fetcher, CarbonBasis basis, Clock clock, FallbackRule fallback,
                        Duration refreshEvery, Duration retryAfter, Executor executor, AutoCloseable resources) {
        this.fetcher = fetcher;
        this.basis = basis;
        this.clock = clock;
        this.fallback = fallback;
        this.refreshEvery = refreshEvery;
        this.retryAfter = retryAfter;
        this.executor = executor;
        this.resources = resources;
    }

    @Override
    public String name() {
        return fetcher.name();
    }

    @Override
    public CarbonBasis basis() {
        return basis;
    }

    @Override
    public Set<SignalKind> kinds() {
        return KINDS;
    }

    @Override
    public Optional<SignalReading> read(SignalKind kind, Instant at) {
        if (kind != SignalKind.CARBON_INTENSITY) {
            return Optional.empty();
        }
        pollIfDue();
        State s = state;
        return fallback.resolve(kind, at, s.latest(), s.forecast());
    }

    /**
     * The provider's forecast, hourly: each hour is the mean of the provider's steps inside it (NESO's two
     * half hours). The hour containing {@code from} may be missing from a provider's forecast (Electricity
     * Maps starts at the next hour); it is then filled with what {@link #read} gives for {@code from}. Empty
     * when any other hour asked for lies outside the held forecast: a live source cannot know further.
     */
    @Override
    public Optional<TimeSeries> forecast(SignalKind kind, Instant from, int hours) {
        if (hours < 0) {
            throw new IllegalArgumentException("hours must be >= 0 but was " + hours);
        }
        if (kind != SignalKind.CARBON_INTENSITY) {
            return Optional.empty();
        }
        pollIfDue();
        TimeSeries held = state.forecast();
        Instant start = from.truncatedTo(ChronoUnit.HOURS);
        double[] values = new double[hours];
        for (int h = 0; h < hours; h++) {
            Instant hourStart = start.plus(HOUR.multipliedBy(h));
            TimeSeries inHour = held == null ? null : held.slice(hourStart, hourStart.plus(HOUR));
            if (inHour != null && !inHour.isEmpty()) {
                values[h] = inHour.mean().orElseThrow();
            } else if (h == 0) {
                Optional<SignalReading> now = fallback.resolve(kind, from, state.latest(), held);
                if (now.isEmpty()) {
                    return Optional.empty();
                }
                values[h] = now.get().value();
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(TimeSeries.hourly(start, values, kind.unit()));
    }

    @Override
    public SourceHealth health() {
        State s = state;
        Instant now = clock.instant();
        var reading = fallback.resolve(SignalKind.CARBON_INTENSITY, now, s.latest(), s.forecast());
        return new SourceHealth(name(), s.lastAttempt(), s.lastSuccess(), s.lastError(), s.consecutiveFailures(),
                s.latest() == null ? null : s.latest().value(), s.latest() == null ? null : s.latest().asOf(),
                s.forecast() == null ? null : s.forecast().end(), reading.map(SignalReading::provenance).orElse(null));
    }

    @Override
    public void refresh() {
        if (closed.get()) {
            throw new IllegalStateException(name() + " is closed");
        }
        pollLock.lock();
        try {
            poll();
        } finally {
            pollLock.unlock();
        }
    }

    /** Starts one background poll when the held data is due for one and none is running. */
    private void pollIfDue() {
        if (closed.get() || !due(state, clock.instant()) || !pollStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    if (!closed.get() && due(state, clock.instant())) {
                        refresh();
                    }
                } catch (IllegalStateException closedMeanwhile) {
                    // close() raced with this poll: nothing to do
                } finally {
                    pollStarted.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            pollStarted.set(false); // closing: the executor no longer takes work
        }
    }

    private boolean due(State s, Instant now) {
        if (s.lastAttempt() == null) {
            return true;
        }
        Duration gap = s.consecutiveFailures() > 0 ? retryAfter : refreshEvery;
        return !now.isBefore(s.lastAttempt().plus(gap));
    }

    /** One poll: latest, then forecast; each part that succeeds replaces what was held. Caller holds the lock. */
    private void poll() {
        State before = state;
        Instant started = clock.instant();
        FallbackRule.Observation latest = before.latest();
        TimeSeries forecast = before.forecast();
        StringBuilder errors = new StringBuilder();
        try {
            FallbackRule.Observation fresh = fetcher.latest();
            // a provider answering with an older figure than one already held (a lagging replica) does not
            // move the clock backwards
            if (latest == null || !fresh.asOf().isBefore(latest.asOf())) {
                latest = fresh;
            }
        } catch (FetchException e) {
            errors.append(e.getMessage());
        }
        try {
            forecast = fetcher.forecast(started);
        } catch (FetchException e) {
            errors.append(errors.isEmpty() ? "" : "; ").append(e.getMessage());
        }
        State after;
        if (errors.isEmpty()) {
            after = new State(latest, forecast, started, started, null, 0);
            if (before.consecutiveFailures() > 0) {
                LOG.log(Level.INFO, "{0}: recovered after {1} failed poll(s)", name(), before.consecutiveFailures());
            }
            LOG.log(Level.DEBUG, "{0}: {1} gCO2e/kWh as of {2}; forecast to {3}", name(), latest.value(),
                    latest.asOf(), forecast.end());
        } else {
            after = new State(latest, forecast, started, before.lastSuccess(), errors.toString(),
                    before.consecutiveFailures() + 1);
            // once per outage at WARNING, then DEBUG: an operator needs to know, not to be flooded
            // (a poll cut short by close() is no outage)
            Level level = before.consecutiveFailures() == 0 && !closed.get() ? Level.WARNING : Level.DEBUG;
            LOG.log(level, "{0}: poll failed ({1} in a row), falling back to the last good value, then the "
                    + "forecast: {2}", name(), after.consecutiveFailures(), after.lastError());
        }
        state = after;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            resources.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "{0}: closing: {1}", name(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "LiveSignalSource[" + name() + ", " + basis + ", refresh " + refreshEvery + "]";
    }
}
