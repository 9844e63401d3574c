package io.lattice.engine.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StopStringsTest {

    @Test
    void releasesTextAtOnce_whenItCannotStartAStopString() {
        StopStrings stops = new StopStrings(List.of("END"));

        assertThat(stops.accept("hello ")).isEqualTo("hello ");
        assertThat(stops.accept("world")).isEqualTo("world");
        assertThat(stops.stopped()).isFalse();
    }

    @Test
    void holdsBackAPossibleStart_thenReleasesIt_whenTheStopStringDoesNotFollow() {
        StopStrings stops = new StopStrings(List.of("END"));

        assertThat(stops.accept("the E")).isEqualTo("the ");
        assertThat(stops.accept("N")).isEmpty();
        assertThat(stops.accept("d")).isEqualTo("ENd");
        assertThat(stops.stopped()).isFalse();
    }

    @Test
    void findsAStopStringSpanningPieces_andDropsItAndEverythingAfter() {
        StopStrings stops = new StopStrings(List.of("\n\n"));

        assertThat(stops.accept("one\n")).isEqualTo("one");
        assertThat(stops.accept("\ntwo")).isEmpty();
        assertThat(stops.stopped()).isTrue();
    }

    @Test
    void theEarliestStopStringWins() {
        StopStrings stops = new StopStrings(List.of("cd", "b"));

        assertThat(stops.accept("abcd")).isEqualTo("a");
        assertThat(stops.stopped()).isTrue();
    }

    @Test
    void flushReleasesWhatWasHeldBack_atTheEndOfGeneration() {
        StopStrings stops = new StopStrings(List.of("STOP"));

        assertThat(stops.accept("almost ST")).isEqualTo("almost ");
        assertThat(stops.flush()).isEqualTo("ST");
    }

    @Test
    void emptyStopStringsAreIgnored() {
        StopStrings stops = new StopStrings(List.of(""));

        assertThat(stops.accept("text")).isEqualTo("text");
        assertThat(stops.stopped()).isFalse();
    }

    @Test
    void acceptingAfterAStop_isABug() {
        StopStrings stops = new StopStrings(List.of("x"));
        stops.accept("x");

        assertThatThrownBy(() -> stops.accept("more")).isInstanceOf(IllegalStateException.class);
    }

    /** The streamed result equals a one-shot cut at the first stop string, however the text is split. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anySplitGivesTheSameTextAsCuttingTheWholeText(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "ab\n";
        StringBuilder whole = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            whole.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        List<String> stopList = List.of("aab", "\n\n", "bba");
        int cut = whole.length();
        for (String stop : stopList) {
            int at = whole.indexOf(stop);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        String expected = whole.substring(0, cut);

        StopStrings stops = new StopStrings(stopList);
        StringBuilder released = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        int i = 0;
        while (i < whole.length() && !stops.stopped()) {
            int end = Math.min(whole.length(), i + 1 + random.nextInt(4));
            pieces.add(whole.substring(i, end));
            released.append(stops.accept(whole.substring(i, end)));
            i = end;
        }
        if (!stops.stopped()) {
            released.append(stops.flush());
        }

        assertThat(released.toString()).as("pieces %s", pieces).isEqualTo(expected);
    }
}
