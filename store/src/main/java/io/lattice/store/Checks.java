package io.lattice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Argument checks whose messages name the owner, the field, the rule and the value, so a bad
 * ledger entry or query says exactly what is wrong.
 */
final class Checks {

    /** Longest text any store column accepts; request ids are at most 128 characters. */
    static final int MAX_TEXT = 256;

    private Checks() {
    }

    static String notBlank(String owner, String field, String value) {
        Objects.requireNonNull(value, () -> owner + ": " + field + " must not be null");
        return nullOrNotBlank(owner, field, value);
    }

    /** Null passes; otherwise not blank and at most {@link #MAX_TEXT} characters. */
    static String nullOrNotBlank(String owner, String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(owner + ": " + field + " must not be blank but was '" + value + "'");
        }
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(owner + ": " + field + " must be at most " + MAX_TEXT
                    + " characters but was " + value.length() + " characters long");
        }
        return value;
    }

    static double finite(String owner, String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(owner + ": " + field + " must be a finite number but was " + value);
        }
        return value;
    }

    static double notNegative(String owner, String field, double value) {
        finite(owner, field, value);
        if (value < 0) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= 0 but was " + value);
        }
        return value;
    }

    static long notNegative(String owner, String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= 0 but was " + value);
        }
        return value;
    }

    static int atLeast(String owner, String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= " + min + " but was " + value);
        }
        return value;
    }

    static int between(String owner, String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(owner + ": " + field + " must be between " + min + " and " + max
                    + " but was " + value);
        }
        return value;
    }

    static Duration positive(String owner, String field, Duration value) {
        Objects.requireNonNull(value, () -> owner + ": " + field + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(owner + ": " + field + " must be > 0 but was " + value);
        }
        return value;
    }

    static Duration notNegative(String owner, String field, Duration value) {
        Objects.requireNonNull(value, () -> owner + ": " + field + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= 0 but was " + value);
        }
        return value;
    }

    /**
     * Microseconds since the epoch, the unit every store keeps instants in (PostgreSQL's
     * {@code timestamptz} has the same resolution).
     */
    static long epochMicros(String owner, String field, Instant value) {
        Objects.requireNonNull(value, () -> owner + ": " + field + " must not be null");
        try {
            return Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(owner + ": " + field + " must lie within ±292,000 years of 1970 but was "
                    + value, e);
        }
    }

    static Instant fromEpochMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
