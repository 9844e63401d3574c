package io.lattice.engine.llama;

import java.util.List;

/**
 * Finds stop strings in text that arrives piece by piece, and says which text may be released to
 * the client now.
 *
 * <p>Design note. A stop string may span several pieces ("\n\n" arriving as "\n" then "\n"), so
 * text that could be the start of a stop string is held back until the next piece decides: it is
 * either released (no stop string after all) or dropped with everything after it (a stop string
 * was completed). Only the longest tail of the pending text that is a proper prefix of some stop
 * string is held; everything before it is released at once, so streaming is delayed no more than
 * needed. Where two stop strings occur, the one starting first wins.
 *
 * <p>Not thread-safe; one instance per generation.
 */
final class StopStrings {

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    /** @param stops the stop strings; empty ones are ignored (they would end every answer at once) */
    StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Takes the next piece of generated text.
     *
     * @return the text that may be released now, possibly empty; once a stop string is found this
     *         is the text before it and {@link #stopped()} turns true
     * @throws IllegalStateException when called after a stop string was found
     */
    String accept(String piece) {
        if (stopped) {
            throw new IllegalStateException("a stop string was already found");
        }
        pending.append(piece);
        int at = earliestStop();
        if (at >= 0) {
            stopped = true;
            String before = pending.substring(0, at);
            pending.setLength(0);
            return before;
        }
        int release = pending.length() - heldBack();
        String out = pending.substring(0, release);
        pending.delete(0, release);
        return out;
    }

    /** Whether a stop string was found; no more text may be accepted then. */
    boolean stopped() {
        return stopped;
    }

    /** Ends the text: returns whatever was held back (it did not become a stop string). */
    String flush() {
        String out = pending.toString();
        pending.setLength(0);
        return out;
    }

    private int earliestStop() {
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** Length of the longest tail of {@code pending} that is a proper prefix of a stop string. */
    private int heldBack() {
        int longest = 0;
        for (String stop : stops) {
            int max = Math.min(stop.length() - 1, pending.length());
            for (int k = max; k > longest; k--) {
                if (regionMatches(pending, pending.length() - k, stop, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }

    private static boolean regionMatches(StringBuilder text, int offset, String other, int length) {
        for (int i = 0; i < length; i++) {
            if (text.charAt(offset + i) != other.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
