package io.lattice.gateway;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in messages and logs. */
final class Durations {

    private Durations() {
    }

    /** {@code 7.2 s}: seconds with one decimal. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
