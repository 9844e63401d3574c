package io.lattice.store;

import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a store is opened. Immutable; start from {@link #defaults()}.
 *
 * @param busyTimeout     how long a statement waits for a lock held by another connection or
 *                        process before it fails (SQLite {@code busy_timeout}); also how long a
 *                        read waits for a free read connection
 * @param readConnections how many read connections may be open at once, 1 to 64
 * @param clock           the time written into {@code schema_version.applied_at}
 */
public record StoreOptions(Duration busyTimeout, int readConnections, InstantSource clock) {

    private static final String OWNER = "StoreOptions";

    public StoreOptions {
        Checks.positive(OWNER, "busyTimeout", busyTimeout);
        if (busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(OWNER + ": busyTimeout must be at most " + Integer.MAX_VALUE
                    + " ms but was " + busyTimeout);
        }
        Checks.between(OWNER, "readConnections", readConnections, 1, 64);
        Objects.requireNonNull(clock, OWNER + ": clock must not be null");
    }

    /** A 5 s busy timeout, 4 read connections, the system clock. */
    public static StoreOptions defaults() {
        return new StoreOptions(Duration.ofSeconds(5), 4, Clock.systemUTC());
    }

    public StoreOptions withBusyTimeout(Duration busyTimeout) {
        return new StoreOptions(busyTimeout, readConnections, clock);
    }

    public StoreOptions withReadConnections(int readConnections) {
        return new StoreOptions(busyTimeout, readConnections, clock);
    }

    public StoreOptions withClock(InstantSource clock) {
        return new StoreOptions(busyTimeout, readConnections, clock);
    }
}
