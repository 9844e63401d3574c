package io.lattice.gateway;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in messages and logs. */
final class Durations {

    private Durations() {
    }

    /** {@code 7.2 s}: seconds with one decimal; under a second, {@code 300 ms}. */
    static String seconds(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
