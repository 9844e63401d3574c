package io.lattice.api;

import java.util.List;

/**
 * How to generate text, as the client asked. Null means "the engine's default".
 *
 * @param maxTokens   most tokens to generate; null for the engine's limit
 * @param temperature 0 to 2
 * @param topP        above 0, at most 1
 * @param seed        makes sampling repeatable on the same node and model
 * @param stop        up to 4 strings that end generation; never in the output
 */
public record Sampling(Integer maxTokens, Double temperature, Double topP, Long seed, List<String> stop) {
    public Sampling {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static Sampling defaults() {
        return new Sampling(null, null, null, null, List.of());
    }
}
