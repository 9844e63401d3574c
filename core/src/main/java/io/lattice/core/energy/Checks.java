package io.lattice.core.energy;

import java.util.Objects;

/**
 * Argument checks whose messages name the owner, the field, the rule and the value, so a bad site
 * file or a bad telemetry figure says exactly what is wrong.
 */
final class Checks {

    private Checks() {
    }

    static String notBlank(String owner, String field, String value) {
        Objects.requireNonNull(value, () -> owner + ": " + field + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(owner + ": " + field + " must not be blank but was '" + value + "'");
        }
        return value;
    }

    static double finite(String owner, String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(owner + ": " + field + " must be a finite number but was " + value);
        }
        return value;
    }

    /** {@code value ≥ min}, finite. */
    static double atLeast(String owner, String field, double value, double min, String why) {
        finite(owner, field, value);
        if (value < min) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= " + min + " but was " + value
                    + " (" + why + ")");
        }
        return value;
    }

    /** {@code value > 0}, finite. */
    static double positive(String owner, String field, double value, String why) {
        finite(owner, field, value);
        if (value <= 0) {
            throw new IllegalArgumentException(owner + ": " + field + " must be > 0 but was " + value
                    + " (" + why + ")");
        }
        return value;
    }

    /** {@code 0 ≤ value ≤ 1}. */
    static double fraction(String owner, String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(owner + ": " + field + " must be between 0 and 1 but was " + value);
        }
        return value;
    }

    static int atLeast(String owner, String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= " + min + " but was " + value);
        }
        return value;
    }
}
