package io.lattice.node;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of looking for a power meter: the meter, or why there is none. A missing meter is an
 * ordinary answer on most machines, not an error, so it is a value rather than an exception.
 *
 * @param value  the meter, or null when not available
 * @param detail what was found (for example {@code "2 package zones: package-0, package-1"}) or, when
 *               not available, why not (for example {@code "/sys/class/powercap does not exist"})
 */
record Probe<T>(T value, String detail) {

    Probe {
        Objects.requireNonNull(detail, "detail");
    }

    static <T> Probe<T> available(T value, String detail) {
        return new Probe<>(Objects.requireNonNull(value, "value"), detail);
    }

    static <T> Probe<T> unavailable(String reason) {
        return new Probe<>(null, reason);
    }

    boolean isAvailable() {
        return value != null;
    }

    Optional<T> meter() {
        return Optional.ofNullable(value);
    }
}
