package io.lattice.core.signal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Timestamp formats found in grid and weather files. */
final class Timestamps {

    private Timestamps() {
    }

    /**
     * Parses {@code 2023-01-01 00:00:00}, {@code 2023-01-01T00:00}, or either with an offset
     * ({@code +00:00}, {@code Z}). A timestamp without an offset is read in {@code offsetIfNone}.
     *
     * @throws DateTimeParseException when the text is none of these
     */
    static Instant parse(String text, ZoneOffset offsetIfNone) {
        String s = text.trim();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        if (hasOffset(s)) {
            return OffsetDateTime.parse(s).toInstant();
        }
        return LocalDateTime.parse(s).toInstant(offsetIfNone);
    }

    private static boolean hasOffset(String s) {
        if (s.endsWith("Z") || s.endsWith("z")) {
            return true;
        }
        // an offset looks like +HH:MM or -HH:MM after the time part (the date has '-' too)
        int t = s.indexOf('T');
        return t > 0 && (s.indexOf('+', t) > 0 || s.indexOf('-', t) > 0);
    }
}
